#!/bin/sh
# solve.sh contract: runs in the lesson's workspace folder (the starter files are there);
# DOCKDOJO_SOLUTION_DIR is the materialised solution/ folder of this lesson.
set -eu
cp "$DOCKDOJO_SOLUTION_DIR/Dockerfile" Dockerfile
docker build -q -t calc-app-scratch .
echo "2 * 2" | docker run --rm -i calc-app-scratch
