#!/bin/sh
# solve.sh contract: runs in the lesson's workspace folder (the starter files are there);
# DOCKDOJO_SOLUTION_DIR is the materialised solution/ folder of this lesson.
set -eu
# the distroless comparison, from the starter Dockerfile
docker build -q -t calc-on-distroless .
cp "$DOCKDOJO_SOLUTION_DIR/Dockerfile" Dockerfile
docker build -q -t calc-on-wolfi .
echo "2 * 2" | docker run --rm -i calc-on-wolfi
