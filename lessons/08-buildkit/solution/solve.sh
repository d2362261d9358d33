#!/bin/sh
# solve.sh contract: runs in the lesson's workspace folder (the starter files are there);
# DOCKDOJO_SOLUTION_DIR is the materialised solution/ folder of this lesson.
set -eu
cp "$DOCKDOJO_SOLUTION_DIR/Dockerfile" Dockerfile
cp "$DOCKDOJO_SOLUTION_DIR/.dockerignore" .dockerignore
# Podman's builder (Buildah) serves cache and secret mounts; its own CLI passes the secret.
if docker version --format '{{range .Server.Components}}{{.Name}} {{end}}' 2>/dev/null | grep -qi podman \
    && command -v podman >/dev/null 2>&1; then
    build() { podman build "$@"; }
else
    build() { docker build "$@"; }
fi
build -q --secret id=token,src=token.txt --target builder -t calc-bk-debug .
build -q --secret id=token,src=token.txt -t calc-bk .
echo "2 * 2" | docker run --rm -i calc-bk
