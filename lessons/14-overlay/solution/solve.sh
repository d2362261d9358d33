#!/bin/sh
# solve.sh contract: runs in the lesson's workspace folder; DOCKDOJO_SOLUTION_DIR is the
# materialised solution/ folder of this lesson. Only docker commands; safe to re-run.
# It initialises a one-node swarm only when the engine is not in a swarm yet, and it
# never leaves one: the lesson text tells the learner how (`docker swarm leave --force`).
set -eu
if [ "$(docker info --format '{{.Swarm.LocalNodeState}}')" != "active" ]; then
  docker swarm init --advertise-addr 127.0.0.1
fi
docker rm -f ledger >/dev/null 2>&1 || true

# Keep a ledger-overlay that is already right; replace one that is not. The swarm
# removes networks asynchronously, so the name can stay taken for a moment after
# `docker network rm`: try the create a few times.
state=$(docker network inspect -f '{{.Driver}} {{.Scope}} {{.Attachable}}' ledger-overlay 2>/dev/null || true)
if [ "$state" != "overlay swarm true" ]; then
  if [ -n "$state" ]; then
    docker network rm ledger-overlay
  fi
  tries=0
  until docker network create -d overlay --attachable ledger-overlay; do
    tries=$((tries + 1))
    [ "$tries" -lt 10 ] || exit 1
    sleep 1
  done
fi
docker run -d --name ledger --network ledger-overlay {{image.busybox}} sleep 1d
