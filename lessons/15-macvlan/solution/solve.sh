#!/bin/sh
# solve.sh contract: runs in the lesson's workspace folder; DOCKDOJO_SOLUTION_DIR is the
# materialised solution/ folder of this lesson. Only docker commands; safe to re-run.
#
# The parent interface differs per machine. Set DOCKDOJO_MACVLAN_PARENT to a real interface
# (the learner's is the one `ip route | grep default` names). The default, dd0, is the
# interface the test machines create for this purpose (a dummy or an empty bridge), so no
# frame from this lesson ever leaves them. The checks do not compare the parent.
set -eu
parent="${DOCKDOJO_MACVLAN_PARENT:-dd0}"
docker rm -f legacy-app >/dev/null 2>&1 || true
docker network rm lab-macvlan >/dev/null 2>&1 || true
docker network create -d macvlan \
  --subnet 192.168.77.0/24 --gateway 192.168.77.1 \
  -o parent="$parent" lab-macvlan
docker run -d --name legacy-app --network lab-macvlan --ip 192.168.77.10 {{image.busybox}} \
  sh -c 'echo "legacy app" > /tmp/index.html && exec httpd -f -p 80 -h /tmp'
