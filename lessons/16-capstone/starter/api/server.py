#!/usr/bin/env python3
"""The calculator's back end.

  server.py            serve the front end from ./static and the API on port 8000
  server.py --calc     read expressions like "2 * 2" from stdin, print the results
"""
import http.server
import json
import operator
import os
import sys
import urllib.parse

OPS = {"+": operator.add, "-": operator.sub, "*": operator.mul, "x": operator.mul, "/": operator.truediv}
STATIC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "static")


def evaluate(expr):
    parts = expr.split()
    if len(parts) != 3 or parts[1] not in OPS:
        raise ValueError("want: NUMBER OPERATOR NUMBER, like 2 * 2")
    result = OPS[parts[1]](float(parts[0]), float(parts[2]))
    return int(result) if result.is_integer() else result


class Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=STATIC, **kwargs)

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        if url.path != "/api/calc":
            return super().do_GET()
        expr = urllib.parse.parse_qs(url.query).get("expr", [""])[0]
        try:
            status, body = 200, {"result": evaluate(expr)}
        except (ValueError, ZeroDivisionError) as err:
            status, body = 400, {"error": str(err)}
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def main():
    if "--calc" in sys.argv[1:]:
        status = 0
        for line in sys.stdin:
            if line.strip():
                try:
                    print(evaluate(line))
                except (ValueError, ZeroDivisionError) as err:
                    print(f"calc: {err}", file=sys.stderr)
                    status = 1
        return status
    port = int(os.environ.get("PORT", "8000"))
    print(f"serving {STATIC} and /api/calc on port {port}", flush=True)
    http.server.ThreadingHTTPServer(("", port), Handler).serve_forever()


if __name__ == "__main__":
    sys.exit(main())
