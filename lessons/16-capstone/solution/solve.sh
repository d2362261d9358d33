#!/bin/sh
# solve.sh contract: runs in the lesson's workspace folder (the starter files are there);
# DOCKDOJO_SOLUTION_DIR is the materialised solution/ folder of this lesson.
set -eu
cp "$DOCKDOJO_SOLUTION_DIR/Dockerfile" Dockerfile
docker build -q -t calc-web .
echo "2 * 2" | docker run --rm -i calc-web server.py --calc
docker run -d --name calc-web-demo -p 8000:8000 calc-web
# wait until the server answers (at most 10 s)
i=0
while [ $i -lt 20 ]; do
    docker logs calc-web-demo 2>&1 | grep -q serving && break
    sleep 0.5
    i=$((i + 1))
done
