#!/bin/sh
# solve.sh contract: runs in the lesson's workspace folder (the starter files are there);
# DOCKDOJO_SOLUTION_DIR is the materialised solution/ folder of this lesson. Safe to re-run.
set -eu
cp "$DOCKDOJO_SOLUTION_DIR/Dockerfile" Dockerfile
docker build -q -t calc-svc .
docker rm -f calc-debug calc-svc >/dev/null 2>&1 || true
docker run -d --name calc-svc -p 8089:8080 calc-svc
# a sidecar in calc-svc's process and network namespaces, with the tools the image lacks
docker run -d --name calc-debug --pid container:calc-svc --network container:calc-svc \
  {{image.busybox}} sleep 3600
docker exec calc-debug netstat -tln
