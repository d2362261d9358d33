#!/bin/sh
# solve.sh contract: runs in the lesson's workspace folder; DOCKDOJO_SOLUTION_DIR is the
# materialised solution/ folder of this lesson. Only docker commands; safe to re-run.
set -eu
docker rm -f storefront >/dev/null 2>&1 || true
docker run -d --name storefront -p 8080:80 {{image.busybox}} \
  sh -c 'echo "Storefront is open" > /tmp/index.html && exec httpd -f -p 80 -h /tmp'
