#!/bin/sh
# solve.sh contract: runs in the lesson's workspace folder; DOCKDOJO_SOLUTION_DIR is the
# materialised solution/ folder of this lesson. Only docker commands; safe to re-run:
# it first removes this lesson's own containers and networks, then builds them again.
set -eu
docker rm -f finance payments >/dev/null 2>&1 || true
for net in secure-network payments-network audit-network; do
  docker network rm "$net" >/dev/null 2>&1 || true
done

docker network create secure-network
docker network create payments-network
docker network create --internal audit-network

docker run -d --name finance --network secure-network {{image.busybox}} \
  sh -c 'echo "finance ledger" > /tmp/index.html && exec httpd -f -p 80 -h /tmp'
docker network connect audit-network finance

docker run -d --name payments --network payments-network {{image.busybox}} \
  sh -c 'echo "payments service" > /tmp/index.html && exec httpd -f -p 80 -h /tmp'
