#!/bin/sh
# solve.sh contract: runs in the lesson's workspace folder (the starter files are there);
# DOCKDOJO_SOLUTION_DIR is the materialised solution/ folder of this lesson. Safe to re-run.
set -eu
docker build -q -t calc-api .
docker rm -f calc-api >/dev/null 2>&1 || true
docker run -d --name calc-api -p 8088:8080 \
  --read-only --tmpfs /tmp \
  --cap-drop ALL \
  --security-opt no-new-privileges \
  --user 65532:65532 \
  --memory 64m --pids-limit 64 \
  calc-api
