#!/usr/bin/env python3
"""Read arithmetic like "2 * 2" from standard input, one per line, print each result."""
import operator
import sys

OPS = {"+": operator.add, "-": operator.sub, "*": operator.mul, "x": operator.mul, "/": operator.truediv}


def evaluate(line):
    parts = line.split()
    if len(parts) != 3:
        raise ValueError("want: NUMBER OPERATOR NUMBER, like 2 * 2")
    a, op, b = parts
    if op not in OPS:
        raise ValueError(f"unknown operator {op!r} (use + - * /)")
    result = OPS[op](float(a), float(b))
    return int(result) if result.is_integer() else result


def main():
    status = 0
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            print(evaluate(line))
        except (ValueError, ZeroDivisionError) as err:
            print(f"calc: {err}", file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
