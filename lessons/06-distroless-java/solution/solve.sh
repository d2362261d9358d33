#!/bin/sh
# solve.sh contract: runs in the lesson's workspace folder (the starter files are there);
# DOCKDOJO_SOLUTION_DIR is the materialised solution/ folder of this lesson.
set -eu
# the single-stage comparison, from the starter Dockerfile
docker build -q -t jcalc-jdk .
cp "$DOCKDOJO_SOLUTION_DIR/Dockerfile" Dockerfile
docker build -q -t jcalc-distroless .
echo "2 * 2" | docker run --rm -i jcalc-distroless
