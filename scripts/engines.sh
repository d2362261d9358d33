#!/usr/bin/env bash
# The engine matrix: modern engines beside the host engine, for trying dockdojo on them.
#
# Debian 13 (trixie) is debootstrapped into $DOCKDOJO_LAB (default /var/tmp/dockdojo-lab)
# and holds Docker 26.1 (BuildKit via docker-buildx) and Podman 5.4 (crun, netavark). Each
# engine runs as PID 1 of its own pid + net + mount namespace whose root is that tree: its bridges,
# iptables rules, swarm, published ports and the macvlan parent `dd0` exist only in that
# namespace, and the host engine (/var/run/docker.sock) is never touched.
#
# Usage: scripts/engines.sh COMMAND [ARGS]
#   build               debootstrap trixie + apt-get the engines (idempotent; installs the host's
#                       debootstrap when missing). First run: a few minutes.
#   start NAME          start the engine, wait (at most 60 s) for /_ping OK, print its socket
#   stop NAME|all       stop it (SIGTERM, SIGKILL after 30 s); its namespace and mounts go with it
#   images NAME         copy the host's stand-ins (scripts/standins.sh --list) into the engine:
#                       docker save | docker load, skipped for tags already there with the same image
#                       (in podman5 renamed localhost/NAME -> docker.io/library/NAME, as a pull names them)
#   exec NAME CMD...    run CMD in the engine's namespaces and lab root, DOCKER_HOST set (and
#                       DOCKER_BUILDKIT=0 for podman5), in the current directory when it is visible
#   sock NAME           print the engine's unix socket path, usable from the host
#   status              one line per engine: running or stopped, and its socket
#   list                print the engine names
#
# Engines (NAME):
#   docker26             Docker 26.1, overlay2 graph driver (classic image store)
#   docker26-containerd  Docker 26.1 with the containerd image store (containerd-snapshotter)
#   podman5              Podman 5.4 `podman system service` (Docker-compatible API)
#
# Examples:
#   scripts/engines.sh build && scripts/engines.sh start podman5 && scripts/engines.sh images podman5
#   scripts/engines.sh exec podman5 /work/main/target/debug/dockdojo dev verify
#   DOCKER_HOST=unix://$(scripts/engines.sh sock docker26) docker ps      # from the host
#
# Inside an engine's namespace the host's /work, /tmp, $HOME/.cargo and this project's directory
# are bind-mounted at the same paths (add more with DOCKDOJO_LAB_BINDS="/dir1 /dir2"), so a
# host-built binary runs there with identical paths (trixie's glibc is newer than bookworm's).
# Run anything that probes ports through `exec`: 127.0.0.1 there is the engine's namespace.
# `exec` passes TERM, COLUMNS, LINES, DOCKDOJO_* and RUST_* through, plus any VAR=VALUE words in
# DOCKDOJO_LAB_ENV; HOME is the lab's /root. DOCKDOJO_LAB_EXEC_TIMEOUT=SECONDS bounds `exec`.
#
# Files: logs /tmp/dockdojo-lab-NAME.log (engine) and /tmp/dockdojo-lab-build.log; pids under
# /run/dockdojo-lab; sockets $DOCKDOJO_LAB/lab/NAME.sock (/lab/NAME.sock inside, also linked
# as /run/docker.sock there). Config files: scripts/engines/ (daemon-NAME.json, containers.conf).
# Each start is like a boot: /run in the lab is a fresh tmpfs; images and volumes persist
# under $DOCKDOJO_LAB/var/lib.
#
# Quirks of the development VM handled here:
# - dockerd needs `/` to be a mount point (it remounts it rslave): the lab is bind-mounted
#   onto itself inside the namespace.
# - The lab is made the namespace's root with pivot_root, not chroot: with a chroot,
#   `docker exec` (runc and crun alike) ran the command in the host's root file system.
# - The kernel may lack the `dummy` driver: `dd0` is then an empty bridge (still a valid
#   macvlan parent).
# - Hybrid cgroups with controllers left on the v2 hierarchy: crun refuses them, so the v2
#   mount (/sys/fs/cgroup/unified) is hidden in Podman's mount namespace only.
# - No CAP_SYS_RESOURCE: Podman's default rlimits make crun fail; containers.conf sets lower
#   ones (capped to this host's hard limits at start).
# - With docker-buildx installed, `docker build` against Podman wants a BuildKit container
#   builder (needs a pull): DOCKER_BUILDKIT=0 selects the classic builder.
#
# Needs: root, Debian (apt-get for debootstrap), the Debian mirror ($DEBIAN_MIRROR, default
# http://deb.debian.org/debian), util-linux (unshare, nsenter), iproute2, curl; a host Docker
# engine only for `images`.
set -euo pipefail

SELF=$(readlink -f "${BASH_SOURCE[0]}")
ROOT=$(cd "$(dirname "$SELF")/.." && pwd)
CONF=$ROOT/scripts/engines
LAB=${DOCKDOJO_LAB:-/var/tmp/dockdojo-lab}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
STATE=/run/dockdojo-lab
NAMES=(docker26 docker26-containerd podman5)
PACKAGES="docker.io docker-cli docker-buildx podman crun catatonit aardvark-dns netavark containers-storage uidmap iproute2 iptables nftables busybox-static procps curl ca-certificates tini jq tmux"
START_TIMEOUT=60
STOP_TIMEOUT=30

log() { printf '[engines %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() {
    log "error: $*"
    exit 1
}

check_name() {
    local n
    for n in "${NAMES[@]}"; do [ "$1" = "$n" ] && return 0; done
    die "unknown engine '$1' (one of: ${NAMES[*]})"
}

# Socket path inside the lab, and from the host.
inner_sock() { echo "/lab/$1.sock"; }
host_sock() { echo "$LAB/lab/$1.sock"; }

ping_ok() { [ "$(curl -s --max-time 3 --unix-socket "$(host_sock "$1")" http://x/_ping 2>/dev/null)" = OK ]; }

lab_built() { [ -x "$LAB/usr/sbin/dockerd" ] && [ -x "$LAB/usr/bin/podman" ] && [ -f "$LAB/.dockdojo-lab" ] && [ "$(cat "$LAB/.dockdojo-lab")" = "$PACKAGES" ]; }

# Host pid of the engine namespace's PID 1 (tini, with $LAB as its root), or nothing.
is_engine_pid() {
    local p=$1 name=$2
    [ -n "$p" ] && [ -d "/proc/$p" ] || return 1
    # Its root is this lab (pivoted into: compare the marker file, not a path).
    [ "/proc/$p/root/.dockdojo-lab" -ef "$LAB/.dockdojo-lab" ] || return 1
    tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | grep -q -- "tini .*$(inner_sock "$name")" || return 1
}
engine_pid() {
    local name=$1 p
    p=$(cat "$STATE/$name.pid" 2>/dev/null || true)
    if is_engine_pid "$p" "$name"; then
        echo "$p"
        return 0
    fi
    # The pid file is lost or stale: look for the engine's tini.
    for p in $(pgrep -x tini 2>/dev/null || true); do
        if is_engine_pid "$p" "$name"; then
            mkdir -p "$STATE"
            echo "$p" >"$STATE/$name.pid"
            echo "$p"
            return 0
        fi
    done
    return 1
}

cmd_build() {
    [ "$(id -u)" = 0 ] || die "build needs root"
    if lab_built; then
        install_conf
        log "lab is built: $LAB"
        return 0
    fi
    case $(readlink -m "$LAB") in / | /var | /var/tmp | /tmp | /usr | /root | /home) die "refusing DOCKDOJO_LAB=$LAB" ;; esac
    if ! command -v debootstrap >/dev/null; then
        log "installing the host's debootstrap"
        DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq debootstrap >/dev/null ||
            { timeout 300 apt-get update -qq && DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq debootstrap >/dev/null; } ||
            die "could not install debootstrap"
    fi
    local blog=/tmp/dockdojo-lab-build.log t0=$SECONDS
    : >"$blog"
    if [ ! -f "$LAB/.dockdojo-debootstrap" ]; then
        if [ -e "$LAB" ] && [ -n "$(ls -A "$LAB" 2>/dev/null)" ]; then
            local n
            for n in "${NAMES[@]}"; do engine_pid "$n" >/dev/null && die "$n is running from $LAB: scripts/engines.sh stop all first"; done
            log "removing an unfinished lab at $LAB"
            rm -rf --one-file-system "$LAB"
        fi
        mkdir -p "$LAB"
        log "debootstrap trixie into $LAB (log: $blog)"
        timeout 1200 debootstrap --variant=minbase --include=ca-certificates trixie "$LAB" "$MIRROR" >>"$blog" 2>&1 ||
            die "debootstrap failed or timed out (20 min): see $blog"
        touch "$LAB/.dockdojo-debootstrap"
        log "debootstrap done in $((SECONDS - t0)) s"
    fi
    cp /etc/resolv.conf "$LAB/etc/resolv.conf" 2>/dev/null || true
    printf '#!/bin/sh\nexit 101\n' >"$LAB/usr/sbin/policy-rc.d"
    chmod +x "$LAB/usr/sbin/policy-rc.d"
    local t1=$SECONDS
    log "apt-get install the engines (log: $blog)"
    # A private mount namespace: /proc and /dev vanish with it.
    # shellcheck disable=SC2016 # $1 and $2 expand in that sh
    timeout 1800 unshare --mount --fork --propagation private sh -c '
        set -e
        mount -t proc proc "$1/proc"
        mount --rbind /dev "$1/dev"
        chroot "$1" apt-get update -qq
        DEBIAN_FRONTEND=noninteractive chroot "$1" apt-get install -y -qq --no-install-recommends $2
        chroot "$1" apt-get clean' sh "$LAB" "$PACKAGES" >>"$blog" 2>&1 ||
        die "apt-get in the lab failed or timed out (30 min): see $blog"
    echo "$PACKAGES" >"$LAB/.dockdojo-lab"
    install_conf
    log "apt-get done in $((SECONDS - t1)) s; lab built in $((SECONDS - t0)) s: $LAB"
}

install_conf() {
    mkdir -p "$LAB/etc/docker" "$LAB/etc/containers" "$LAB/lab"
    cp "$CONF/daemon-docker26.json" "$CONF/daemon-docker26-containerd.json" "$LAB/etc/docker/"
    # Podman's rlimits may not exceed this host's hard limits (no CAP_SYS_RESOURCE here).
    local nofile nproc
    nofile=$(ulimit -Hn)
    nproc=$(ulimit -Hu)
    [[ $nofile =~ ^[0-9]+$ ]] && [ "$nofile" -le 1048576 ] || nofile=1048576
    [[ $nproc =~ ^[0-9]+$ ]] && [ "$nproc" -le 4194304 ] || nproc=4194304
    [ "$nproc" -gt 2 ] && nproc=$((nproc - 2))
    sed "s/^default_ulimits = .*/default_ulimits = [\"nofile=$nofile:$nofile\", \"nproc=$nproc:$nproc\"]/" \
        "$CONF/containers.conf" >"$LAB/etc/containers/containers.conf"
}

# Directories of the host made visible at the same paths inside the engines.
bind_dirs() {
    local d out=()
    for d in /work /tmp "${HOME:-/root}/.cargo" "$ROOT" ${DOCKDOJO_LAB_BINDS:-}; do
        d=$(readlink -f "$d" 2>/dev/null) || continue
        if [ ! -d "$d" ] || [ "$d" = / ]; then continue; fi
        # Never the lab itself (or a parent of it).
        case "$(readlink -f "$LAB")/" in "$d"/*) continue ;; esac
        # Nor one already inside a chosen directory.
        local o under=0
        for o in "${out[@]}"; do case "$d/" in "$o"/*) under=1 ;; esac; done
        [ $under = 1 ] || out+=("$d")
    done
    [ ${#out[@]} -eq 0 ] || printf '%s\n' "${out[@]}"
}

# PID 1 of the engine's fresh pid+net+mount namespace (run by `start` through unshare):
# mounts what the engine needs inside the lab (gone with the namespace), creates lo and the
# macvlan parent dd0, then makes the lab the namespace's root (pivot_root) and execs
# tini -> the engine.
cmd_init() {
    local name=$1 R
    R=$(readlink -f "$LAB")
    mount --make-rprivate /
    mount --bind "$R" "$R"
    mount -t proc proc "$R/proc"
    mount -t sysfs sysfs "$R/sys"
    mount --rbind /sys/fs/cgroup "$R/sys/fs/cgroup"
    mount --rbind /dev "$R/dev"
    # A fresh /run each start, as after a boot (Podman keys its state refresh on it).
    mount -t tmpfs -o mode=755,nosuid,nodev tmpfs "$R/run"
    mkdir -p "$R/run/lock" "$R/run/podman"
    ln -s "$(inner_sock "$name")" "$R/run/docker.sock"
    ln -s "$(inner_sock "$name")" "$R/run/podman/podman.sock"
    local d
    while read -r d; do
        [ -n "$d" ] || continue
        mkdir -p "$R$d"
        mount --rbind "$d" "$R$d"
        echo "bound $d"
    done < <(bind_dirs)
    rm -f "$R$(inner_sock "$name")"
    ip link set lo up
    if ip link add dd0 type dummy 2>/dev/null; then
        echo "dd0: dummy"
    else
        ip link add dd0 type bridge
        echo "dd0: bridge (no dummy driver)"
    fi
    ip link set dd0 up
    # crun refuses hybrid cgroups with controllers left on v2: hide the v2 mount, here only.
    [ "$name" = podman5 ] && { umount -l "$R/sys/fs/cgroup/unified" 2>/dev/null || true; }
    # pivot_root, not chroot: the lab must be the root of this mount namespace. With a chroot,
    # `docker exec` lands in the host's root file system: runc and crun join a container's
    # mount namespace with setns(), which sets the root to the namespace's top mount, and the
    # container's rootfs is only there when the engine's own root is.
    mkdir -p "$R/.pivot-old"
    cd "$R"
    pivot_root . .pivot-old
    cd /
    /usr/bin/umount -l /.pivot-old
    # From here on only the lab's own programs.
    case $name in
    docker26 | docker26-containerd)
        exec /usr/bin/tini -s -- /usr/sbin/dockerd --config-file "/etc/docker/daemon-$name.json" -H "unix://$(inner_sock "$name")"
        ;;
    podman5)
        exec /usr/bin/tini -s -- /usr/bin/podman system service --time=0 "unix://$(inner_sock "$name")"
        ;;
    esac
    exit 2
}

cmd_start() {
    local name=$1
    [ "$(id -u)" = 0 ] || die "start needs root"
    lab_built || die "the lab is not built (or its package list changed): scripts/engines.sh build"
    install_conf
    if engine_pid "$name" >/dev/null && ping_ok "$name"; then
        log "$name is running"
        host_sock "$name"
        return 0
    fi
    if engine_pid "$name" >/dev/null; then
        log "$name has a process but does not answer /_ping: restarting it"
        cmd_stop "$name"
    fi
    local logf=/tmp/dockdojo-lab-$name.log u c=""
    mkdir -p "$STATE"
    rm -f "$(host_sock "$name")"
    : >"$logf"
    log "starting $name (log: $logf)"
    setsid unshare --net --mount --pid --fork --propagation private "$SELF" _init "$name" >>"$logf" 2>&1 </dev/null &
    u=$!
    for _ in $(seq 100); do
        c=$(awk '{print $1}' "/proc/$u/task/$u/children" 2>/dev/null || true)
        [ -n "$c" ] && break
        kill -0 "$u" 2>/dev/null || break
        sleep 0.1
    done
    [ -n "$c" ] || {
        tail -n 20 "$logf" >&2
        die "$name: the namespace did not start (log: $logf)"
    }
    echo "$u" >"$STATE/$name.upid"
    echo "$c" >"$STATE/$name.pid"
    local t0=$SECONDS
    while [ $((SECONDS - t0)) -lt $START_TIMEOUT ]; do
        if ping_ok "$name"; then
            log "$name answers /_ping after $((SECONDS - t0)) s"
            host_sock "$name"
            return 0
        fi
        kill -0 "$c" 2>/dev/null || break
        sleep 0.5
    done
    log "$name did not answer /_ping within $START_TIMEOUT s; last lines of $logf:"
    tail -n 30 "$logf" >&2
    cmd_stop "$name" || true
    die "$name failed to start"
}

cmd_stop() {
    local name=$1 c u
    c=$(engine_pid "$name" || true)
    u=$(cat "$STATE/$name.upid" 2>/dev/null || true)
    if [ -z "$c" ]; then
        rm -f "$STATE/$name.pid" "$STATE/$name.upid" "$(host_sock "$name")"
        log "$name is not running"
        return 0
    fi
    log "stopping $name (pid $c)"
    kill -TERM "$c" 2>/dev/null || true
    for _ in $(seq $((STOP_TIMEOUT * 5))); do
        is_engine_pid "$c" "$name" || break
        sleep 0.2
    done
    if is_engine_pid "$c" "$name"; then
        log "$name did not stop within $STOP_TIMEOUT s: SIGKILL (its whole pid namespace goes)"
        kill -KILL "$c" 2>/dev/null || true
        for _ in $(seq 50); do
            is_engine_pid "$c" "$name" || break
            sleep 0.2
        done
        is_engine_pid "$c" "$name" && die "$name (pid $c) survived SIGKILL"
    fi
    # unshare exits once its child is gone.
    if [ -n "$u" ]; then
        for _ in $(seq 25); do
            kill -0 "$u" 2>/dev/null || break
            sleep 0.2
        done
    fi
    rm -f "$STATE/$name.pid" "$STATE/$name.upid" "$(host_sock "$name")"
    log "$name stopped"
}

# Run a command in the engine's namespaces, with the lab as its root.
cmd_exec() {
    local name=$1 c dir=/ v
    shift
    [ $# -gt 0 ] || die "usage: scripts/engines.sh exec NAME CMD..."
    c=$(engine_pid "$name") || die "$name is not running: scripts/engines.sh start $name"
    # Keep the current directory when it is visible inside.
    local here d
    here=$(pwd -P)
    while read -r d; do
        case "$here/" in "$d"/*) dir=$here ;; esac
    done < <(bind_dirs)
    local envs=(HOME=/root "TERM=${TERM:-xterm-256color}" LANG=C.UTF-8
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:${HOME:-/root}/.cargo/bin"
        "DOCKER_HOST=unix://$(inner_sock "$name")")
    [ "$name" = podman5 ] && envs+=(DOCKER_BUILDKIT=0)
    for v in $(compgen -e); do
        case $v in DOCKDOJO_* | RUST_* | COLUMNS | LINES) envs+=("$v=${!v}") ;; esac
    done
    # shellcheck disable=SC2206
    envs+=(${DOCKDOJO_LAB_ENV:-})
    local pre=()
    [ -n "${DOCKDOJO_LAB_EXEC_TIMEOUT:-}" ] && pre=(timeout "$DOCKDOJO_LAB_EXEC_TIMEOUT")
    exec "${pre[@]}" nsenter -t "$c" -n -m -p -r -w env -i -C "$dir" "${envs[@]}" "$@"
}

host_docker() { env -u DOCKER_HOST -u DOCKER_CONTEXT docker "$@"; }

# Identity of an image across engines: its id, and (the containerd store's ids being manifest
# digests) its layers, user and stand-in recipe.
# image_keys TAG DOCKER-COMMAND...
image_keys() {
    local tag=$1
    shift
    "$@" image inspect "$tag" \
        --format '{{.Id}} {{range .RootFS.Layers}}{{.}},{{end}}|{{.Config.User}}|{{with .Config.Labels}}{{index . "dev.dockdojo.standin.recipe"}}{{end}}' 2>/dev/null
}

cmd_images() {
    local name=$1 sock tag want=() missing=() hk ek found=0
    if ! engine_pid "$name" >/dev/null || ! ping_ok "$name"; then die "$name is not running: scripts/engines.sh start $name"; fi
    sock=$(host_sock "$name")
    command -v docker >/dev/null || die "no docker client on the host"
    timeout 10 env -u DOCKER_HOST -u DOCKER_CONTEXT docker version >/dev/null 2>&1 || die "the host engine does not answer (docker version)"
    for tag in $("$ROOT/scripts/standins.sh" --list); do
        hk=$(image_keys "$tag" timeout 20 env -u DOCKER_HOST -u DOCKER_CONTEXT docker) || {
            missing+=("$tag")
            continue
        }
        found=$((found + 1))
        ek=$(image_keys "$tag" timeout 20 docker -H "unix://$sock" || true)
        if [ -n "$ek" ] && { [ "${ek%% *}" = "${hk%% *}" ] || [ "${ek#* }" = "${hk#* }" ]; }; then
            continue
        fi
        want+=("$tag")
    done
    [ "$found" -gt 0 ] || die "none of the stand-ins is on the host: run scripts/standins.sh"
    [ ${#missing[@]} -eq 0 ] || log "warning: not on the host (scripts/standins.sh makes them): ${missing[*]}"
    if [ ${#want[@]} -eq 0 ]; then
        log "$name has all the host's stand-ins already"
        [ "$name" != podman5 ] || podman_names "$sock"
        return 0
    fi
    log "loading ${#want[@]} image(s) into $name: ${want[*]}"
    local t0=$SECONDS
    set +e
    timeout 1200 env -u DOCKER_HOST -u DOCKER_CONTEXT docker save "${want[@]}" |
        timeout 1200 docker -H "unix://$sock" load -q >/dev/null
    local rc=("${PIPESTATUS[@]}")
    set -e
    if [ "${rc[0]}" != 0 ] || [ "${rc[1]}" != 0 ]; then die "docker save | load into $name failed (exit ${rc[*]}; 124 = timed out after 20 min)"; fi
    # Podman may keep docker.io/library/ names only; check every tag answers.
    for tag in "${want[@]}"; do
        timeout 20 docker -H "unix://$sock" image inspect "$tag" >/dev/null 2>&1 || die "$tag is not in $name after the load"
    done
    [ "$name" != podman5 ] || podman_names "$sock"
    log "loaded into $name in $((SECONDS - t0)) s"
}

# `docker load` into Podman names Docker Hub images localhost/NAME:TAG; a pull names them
# docker.io/library/NAME:TAG. Rename the stand-ins as if they had been pulled.
podman_names() {
    local sock=$1 tag full n=0
    for tag in $("$ROOT/scripts/standins.sh" --list); do
        case ${tag%%/*} in *.* | *:* | localhost) [[ $tag == */* ]] && continue ;; esac
        [[ ${tag##*/} == *:* ]] || tag=$tag:latest
        if [[ $tag == */* ]]; then full=docker.io/$tag; else full=docker.io/library/$tag; fi
        timeout 20 docker -H "unix://$sock" image inspect "localhost/$tag" >/dev/null 2>&1 || continue
        if ! timeout 20 docker -H "unix://$sock" tag "localhost/$tag" "$full" ||
            ! timeout 20 docker -H "unix://$sock" rmi "localhost/$tag" >/dev/null; then
            die "could not rename localhost/$tag to $full in podman5"
        fi
        n=$((n + 1))
    done
    [ $n -eq 0 ] || log "podman5: renamed $n stand-in(s) from localhost/NAME to docker.io/library/NAME, as a pull names them"
}

cmd_status() {
    local n p
    for n in "${NAMES[@]}"; do
        if p=$(engine_pid "$n"); then
            if ping_ok "$n"; then echo "$n running pid=$p $(host_sock "$n")"; else echo "$n not-answering pid=$p $(host_sock "$n")"; fi
        else
            echo "$n stopped"
        fi
    done
}

usage() {
    sed -n '2,/^set -euo/p' "$SELF" | sed '$d' | sed 's/^# \{0,1\}//'
}

main() {
    local cmd=${1:-}
    [ $# -gt 0 ] && shift
    case $cmd in
    build) cmd_build ;;
    start)
        [ $# -eq 1 ] || die "usage: scripts/engines.sh start NAME"
        check_name "$1"
        cmd_start "$1"
        ;;
    stop)
        [ $# -eq 1 ] || die "usage: scripts/engines.sh stop NAME|all"
        if [ "$1" = all ]; then
            local n failed=0
            for n in "${NAMES[@]}"; do cmd_stop "$n" || failed=1; done
            return $failed
        fi
        check_name "$1"
        cmd_stop "$1"
        ;;
    images)
        [ $# -eq 1 ] || die "usage: scripts/engines.sh images NAME"
        check_name "$1"
        cmd_images "$1"
        ;;
    exec)
        [ $# -ge 2 ] || die "usage: scripts/engines.sh exec NAME CMD..."
        check_name "$1"
        cmd_exec "$@"
        ;;
    sock)
        [ $# -eq 1 ] || die "usage: scripts/engines.sh sock NAME"
        check_name "$1"
        host_sock "$1"
        ;;
    status) cmd_status ;;
    list) printf '%s\n' "${NAMES[@]}" ;;
    _init) cmd_init "$1" ;;
    -h | --help | help) usage ;;
    "") usage >&2; exit 2 ;;
    *) die "unknown command '$cmd' (build, start, stop, images, exec, sock, status, list)" ;;
    esac
}

main "$@"
