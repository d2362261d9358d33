#!/bin/sh
# solve.sh contract: runs in the lesson's workspace folder; DOCKDOJO_SOLUTION_DIR is the
# materialised solution/ folder of this lesson. Only docker commands; safe to re-run.
set -eu
docker rm -f host-web >/dev/null 2>&1 || true
docker run -d --name host-web --network host {{image.busybox}} \
  sh -c 'echo "served from the host network" > /tmp/index.html && exec httpd -f -p 8090 -h /tmp'
