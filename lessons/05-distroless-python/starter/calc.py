#!/usr/bin/env python3
"""Read arithmetic like "2 * 2" or "(1 + 2) * 3" from standard input, one per line,
print each result. simpleeval (a third-party package, see requirements.txt) evaluates
the expressions safely: numbers and operators only, no Python code."""
import sys

from simpleeval import simple_eval


def evaluate(line):
    result = simple_eval(line.replace(" x ", " * "))
    if isinstance(result, float) and result.is_integer():
        return int(result)
    return result


def main():
    status = 0
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            print(evaluate(line))
        except Exception as err:  # simpleeval raises many kinds; report them all alike
            print(f"calc: {err}", file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
