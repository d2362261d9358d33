#!/usr/bin/env bash
# Build the offline stand-in images that the lessons and the tests use.
#
# No registry is reachable on the development and CI machines, so the public
# images the lessons name (golang:1.25-trixie, gcr.io/distroless/...-debian13, python,
# node, debian, buildpack-deps, busybox, eclipse-temurin, cgr.dev/chainguard/static,
# dhi.io/static) are made here from Debian packages with
# `docker import` and tagged with those same names. They behave enough like the real
# images for the lessons: same paths, users, entrypoints and rough sizes where it
# matters. The Debian 13 stand-ins take every file from a debootstrapped trixie, so
# builder and runtime share one glibc, as the real images do. Where Debian 13 has no
# package of the version a tag names, the stand-in holds Debian's version and says so
# in its environment (golang:1.25-trixie holds Go 1.24; node:24-trixie-slim holds
# Debian's Node 20; python3-debian13 holds Python 3.13 as the real image does).
# The Debian 12 (bookworm) stand-ins stay for the benchmarks (scripts/bench), which
# still name golang:1.22-bookworm; the lessons no longer use them.
#
# Usage: scripts/standins.sh [--force] [--list] [NAME...]
#   NAME     one of: busybox debian13 distroless13 golang13 python13 distroless-python13
#            curl13 node13 jdk13 distroless-java13 wolfi-static dhi-static13 golang
#            distroless debian python distroless-python
#            (default: all, in that order)
#   --force  rebuild even when an image with the current recipe already exists
#   --list   print the image names this script makes and exit
#
# Idempotent: every image carries the labels dev.dockdojo.standin=1 and
# dev.dockdojo.standin.recipe=<name>-<version>; an image whose tag already has the
# current recipe label is kept as it is. Slow steps are cached: debootstrap root
# file systems are kept as tarballs under $DOCKDOJO_STANDIN_CACHE
# (default /var/cache/dockdojo-standins).
#
# Needs: an x86_64 (amd64) Debian 12 host (library paths are those of amd64),
# root (debootstrap and chroot), a Docker engine, the Debian mirror
# ($DEBIAN_MIRROR, default http://deb.debian.org/debian) for the debootstrap-based
# images, and these host packages: busybox-static golang-go debootstrap
# ca-certificates netbase tzdata media-types libssl3 file. Missing ones are
# installed with apt-get when the script runs as root on Debian.
#
# Debian 13 stand-ins, first run on a busy 2-core machine (cold cache): debian13 86 s,
# distroless13 158 s (debootstrap 126 s), python13 167 s, distroless-python13 6 s,
# golang13 137 s, curl13 138 s, node13 193 s (apt-get of npm); about 15 minutes.
# Java and hardened-base stand-ins, cold cache, 2-core machine: jdk13 84 s (debootstrap
# 43 s, apt-get of OpenJDK 21 28 s), distroless-java13 12 s, wolfi-static 30 s
# (debootstrap 28 s), dhi-static13 1 s; 127 s in all. Unpacked sizes:
# eclipse-temurin:21-jdk 397 MB, gcr.io/distroless/java21-debian13 212 MB,
# cgr.dev/chainguard/static 0.85 MB, dhi.io/static 0.85 MB.
# Debian 12 stand-ins, first run on a busy 2-core machine (cold cache): busybox 1 s, golang 11-19 s,
# distroless (6 tags) 5-12 s, debian 43 s (debootstrap 36 s), python 85 s
# (debootstrap 71 s), distroless-python 9-18 s, node 214 s (apt-get of npm's ~300
# packages: 180 s); about 7 minutes in all. A second cold run with the machine under
# heavier load took 13 minutes (debootstrap 135 s and 261 s, npm's apt-get 272 s), the
# mirror and dpkg being the slow parts. With the cache, a rebuild of everything
# takes about a minute; when every image is current the script takes 1-2 s.
set -euo pipefail

# the root file system the distroless files come from ("" = the host, for the Debian 12
# images; the Debian 13 images take them from a debootstrapped trixie)
SRC=""
CACHE=${DOCKDOJO_STANDIN_CACHE:-/var/cache/dockdojo-standins}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
SUITE=bookworm
LABEL=dev.dockdojo.standin
RECIPE_LABEL=dev.dockdojo.standin.recipe
ALL=(busybox debian13 distroless13 golang13 python13 distroless-python13 curl13 node13 jdk13 distroless-java13 wolfi-static dhi-static13 golang distroless debian python distroless-python)

# Bump a version when its recipe changes: the image is then rebuilt.
declare -A VERSION=(
    [busybox]=2
    [golang]=3
    [distroless]=3
    [debian]=2
    [python]=2
    [distroless-python]=3
    [debian13]=1
    [golang13]=1
    [distroless13]=3
    [python13]=1
    [distroless-python13]=2
    [node13]=1
    [curl13]=1
    [jdk13]=1
    [distroless-java13]=1
    [wolfi-static]=1
    [dhi-static13]=1
)
declare -A TAGS=(
    [busybox]="busybox:1.36"
    [golang]="golang:1.22-bookworm golang:1.22"
    [distroless]="gcr.io/distroless/static-debian12 gcr.io/distroless/static-debian12:nonroot gcr.io/distroless/static-debian12:debug gcr.io/distroless/static-debian12:debug-nonroot gcr.io/distroless/base-debian12 gcr.io/distroless/base-debian12:nonroot"
    [debian]="debian:bookworm debian:bookworm-slim"
    [python]="python:3.11-slim python:3.11-slim-bookworm"
    [distroless-python]="gcr.io/distroless/python3-debian12 gcr.io/distroless/python3-debian12:nonroot"
    [debian13]="debian:trixie debian:trixie-slim"
    [golang13]="golang:1.25-trixie golang:1.25"
    [distroless13]="gcr.io/distroless/static-debian13 gcr.io/distroless/static-debian13:nonroot gcr.io/distroless/static-debian13:debug gcr.io/distroless/static-debian13:debug-nonroot gcr.io/distroless/base-debian13 gcr.io/distroless/base-debian13:nonroot"
    [python13]="python:3.13-slim-trixie python:3.13-slim"
    [distroless-python13]="gcr.io/distroless/python3-debian13 gcr.io/distroless/python3-debian13:nonroot"
    [node13]="node:24-trixie-slim node:24-slim"
    [curl13]="buildpack-deps:trixie-curl"
    [jdk13]="eclipse-temurin:21-jdk eclipse-temurin:21"
    [distroless-java13]="gcr.io/distroless/java21-debian13 gcr.io/distroless/java21-debian13:nonroot"
    [wolfi-static]="cgr.dev/chainguard/static:latest"
    [dhi-static13]="dhi.io/static:20250419-debian13 dhi.io/static:20250419"
)

log() { printf '[standins %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() {
    log "error: $*"
    exit 1
}

FORCE=0
WANT=()
for arg in "$@"; do
    case "$arg" in
    --force) FORCE=1 ;;
    --list)
        for n in "${ALL[@]}"; do printf '%s\n' ${TAGS[$n]}; done
        exit 0
        ;;
    -h | --help)
        sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    -*) die "unknown option $arg (try --help)" ;;
    *)
        [[ -n "${VERSION[$arg]:-}" ]] || die "unknown stand-in '$arg'; known: ${ALL[*]}"
        WANT+=("$arg")
        ;;
    esac
done
[[ ${#WANT[@]} -gt 0 ]] || WANT=("${ALL[@]}")

docker version --format '{{.Server.Version}}' >/dev/null 2>&1 ||
    die "no Docker engine answers (DOCKER_HOST=${DOCKER_HOST:-unset}); start dockerd first"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/dockdojo-standins.XXXXXX")
cleanup() {
    local m
    for m in "$WORK"/*/proc; do mountpoint -q "$m" 2>/dev/null && umount "$m"; done
    rm -rf "$WORK"
}
trap cleanup EXIT

# ---------------------------------------------------------------------------
# host requirements

ensure_host_packages() {
    local missing=() p
    for p in "$@"; do
        dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    [[ ${#missing[@]} -eq 0 ]] && return 0
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        log "installing host packages: ${missing[*]}"
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null ||
            { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null; } ||
            die "could not install ${missing[*]}"
    else
        die "missing host packages: ${missing[*]} (apt-get install them as root)"
    fi
}

# ---------------------------------------------------------------------------
# helpers

recipe() { echo "$1-${VERSION[$1]}"; }

# current NAME: true when every tag of NAME exists with the current recipe label
current() {
    local name=$1 tag have
    [[ $FORCE -eq 1 ]] && return 1
    for tag in ${TAGS[$name]}; do
        have=$(docker image inspect -f "{{index .Config.Labels \"$RECIPE_LABEL\"}}" "$tag" 2>/dev/null) || return 1
        [[ "$have" == "$(recipe "$name")" ]] || return 1
    done
}

# import DIR NAME TAG [docker import -c CHANGE...]: the directory becomes the image
import_dir() {
    local dir=$1 name=$2 tag=$3
    shift 3
    local changes=(-c "LABEL $LABEL=1" -c "LABEL $RECIPE_LABEL=$(recipe "$name")")
    local c
    for c in "$@"; do changes+=(-c "$c"); done
    tar -C "$dir" --numeric-owner -cf - . | docker import "${changes[@]}" - "$tag" >/dev/null
    log "  $tag $(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.1f MB", $1/1e6}')"
}

# the static busybox with one symlink per applet in /bin, like the busybox image
busybox_rootfs() {
    local root=$1 a
    ensure_host_packages busybox-static
    local bb=/bin/busybox
    file -L "$bb" | grep -q 'statically linked' || die "$bb is not the static busybox (install busybox-static)"
    mkdir -p "$root"/{bin,sbin,etc,root,home,tmp,var/www,usr/bin,usr/sbin}
    chmod 1777 "$root/tmp"
    chmod 700 "$root/root"
    cp "$bb" "$root/bin/busybox"
    for a in $("$bb" --list); do
        [[ "$a" == busybox ]] || ln -sf busybox "$root/bin/$a"
    done
    cat >"$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
bin:x:2:2:bin:/bin:/bin/false
sys:x:3:3:sys:/dev:/bin/false
www-data:x:33:33:www-data:/var/www:/bin/false
nobody:x:65534:65534:nobody:/home:/bin/false
EOF
    cat >"$root/etc/group" <<'EOF'
root:x:0:
daemon:x:1:
bin:x:2:
sys:x:3:
www-data:x:33:
nogroup:x:65534:
EOF
}

# copy PATH... from the host (or from ROOT_SRC) into ROOT, keeping the path and
# resolving symlinks of the final component
copy_in() {
    local root=$1 src=$2
    shift 2
    local p
    for p in "$@"; do
        [[ -e "$src$p" ]] || continue
        mkdir -p "$root$(dirname "$p")"
        cp -aL "$src$p" "$root$p"
    done
}

# the shared libraries ELF files need, as absolute paths (ldd run on the host)
needed_libs() {
    { ldd "$@" 2>/dev/null || true; } | awk '/=> \//{print $3} /^\t\/[^ ]+ \(/{print $1}' | sort -u
}

# ---------------------------------------------------------------------------
# debootstrap root file systems, cached as tarballs

# rootfs_tar NAME "pkg,pkg": prints the cached tarball path, building it if needed
rootfs_tar() {
    local name=$1 include=$2
    local key="$SUITE minbase include=$include mirror=$MIRROR v2"
    local tarball="$CACHE/rootfs-$name.tar" keyfile="$CACHE/rootfs-$name.key"
    if [[ -s "$tarball" && -f "$keyfile" && "$(cat "$keyfile")" == "$key" ]]; then
        log "  cached root file system $tarball"
        echo "$tarball"
        return
    fi
    ensure_host_packages debootstrap
    mkdir -p "$CACHE"
    local dir="$WORK/debootstrap-$name" t0=$SECONDS
    local args=(--variant=minbase)
    [[ -n "$include" ]] && args+=(--include="$include")
    log "  debootstrap $SUITE ($name${include:+: $include}) from $MIRROR"
    debootstrap "${args[@]}" "$SUITE" "$dir" "$MIRROR" >"$WORK/debootstrap-$name.log" 2>&1 ||
        { tail -n 20 "$WORK/debootstrap-$name.log" >&2; die "debootstrap failed"; }
    # what the Debian images do: no caches, no host files, the usual sources
    rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/* "$dir"/var/log/*.log \
        "$dir"/var/cache/debconf/*-old "$dir"/var/lib/dpkg/*-old
    : >"$dir/etc/resolv.conf"
    : >"$dir/etc/hostname"
    printf 'deb %s %s main\ndeb %s %s-updates main\ndeb http://deb.debian.org/debian-security %s-security main\n' \
        "$MIRROR" "$SUITE" "$MIRROR" "$SUITE" "$SUITE" >"$dir/etc/apt/sources.list"
    tar -C "$dir" --numeric-owner -cf "$tarball.tmp" .
    mv "$tarball.tmp" "$tarball"
    echo "$key" >"$keyfile"
    rm -rf "$dir"
    log "  debootstrap $name took $((SECONDS - t0)) s"
    echo "$tarball"
}

# rootfs_apt_tar NAME "pkg pkg": the base root file system plus packages installed
# with apt-get in a chroot (for packages whose maintainer scripts debootstrap's
# ordering cannot configure, like npm); cached like rootfs_tar
rootfs_apt_tar() {
    local name=$1 pkgs=$2 base basename=base
    [[ $SUITE == bookworm ]] || basename="base-$SUITE"
    base=$(rootfs_tar "$basename" "")
    local key="$SUITE base+apt=$pkgs mirror=$MIRROR v2"
    local tarball="$CACHE/rootfs-$name.tar" keyfile="$CACHE/rootfs-$name.key"
    if [[ -s "$tarball" && -f "$keyfile" && "$(cat "$keyfile")" == "$key" ]]; then
        log "  cached root file system $tarball"
        echo "$tarball"
        return
    fi
    local dir="$WORK/apt-$name" t0=$SECONDS
    unpack "$base" "$dir"
    cp /etc/resolv.conf "$dir/etc/resolv.conf"
    mount -t proc proc "$dir/proc"
    log "  apt-get install $pkgs (chroot on the $SUITE base)"
    local rc=0
    chroot "$dir" /bin/sh -c "export DEBIAN_FRONTEND=noninteractive; apt-get update -q && apt-get install -y -q --no-install-recommends $pkgs" \
        >"$WORK/apt-$name.log" 2>&1 || rc=$?
    umount "$dir/proc"
    [[ $rc -eq 0 ]] || { tail -n 20 "$WORK/apt-$name.log" >&2; die "apt-get install $pkgs failed"; }
    rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/cache/apt/*.bin "$dir"/var/lib/apt/lists/* \
        "$dir"/var/log/apt "$dir"/var/log/dpkg.log "$dir"/var/cache/debconf/*-old "$dir"/var/lib/dpkg/*-old
    : >"$dir/etc/resolv.conf"
    tar -C "$dir" --numeric-owner -cf "$tarball.tmp" .
    mv "$tarball.tmp" "$tarball"
    echo "$key" >"$keyfile"
    rm -rf "$dir"
    log "  apt-get for $name took $((SECONDS - t0)) s"
    echo "$tarball"
}

unpack() {
    local tarball=$1 dir=$2
    mkdir -p "$dir"
    tar -C "$dir" --numeric-owner -xf "$tarball"
}

# ---------------------------------------------------------------------------
# the stand-ins

build_busybox() {
    local root="$WORK/busybox"
    busybox_rootfs "$root"
    import_dir "$root" busybox busybox:1.36 'CMD ["sh"]'
}

build_golang() {
    ensure_host_packages busybox-static golang-go file
    local root="$WORK/golang" goroot
    goroot=$(readlink -f "$(dirname "$(readlink -f "$(command -v go)")")/..")
    [[ -x "$goroot/bin/go" ]] || die "no Go root found beside $(command -v go)"
    busybox_rootfs "$root"
    # the real image keeps Go in /usr/local/go; dereference Debian's symlinks
    # (src, api, misc, test point into /usr/share/go-*)
    mkdir -p "$root/usr/local/go" "$root/go/bin" "$root/go/src" "$root/go/pkg"
    chmod -R 777 "$root/go"
    cp -aL "$goroot/." "$root/usr/local/go/"
    rm -rf "$root/usr/local/go/test" "$root/usr/local/go/misc"
    local libs lib
    libs=$(needed_libs "$root/usr/local/go/bin/"* "$root/usr/local/go/pkg/tool/"*/*)
    for lib in $libs; do copy_in "$root" "" "$lib"; done
    # the real image has ca-certificates (go get over HTTPS, and COPY --from it into scratch)
    ensure_host_packages ca-certificates
    copy_in "$root" "" /etc/ssl/certs/ca-certificates.crt
    # the real image is merged-/usr Debian: /lib64 holds the dynamic loader
    local env=(
        'ENV PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
        'ENV GOPATH=/go'
        'ENV GOROOT=/usr/local/go'
        'ENV GOTOOLCHAIN=local'
        'ENV GOPROXY=off'
        'ENV GOFLAGS=-mod=mod'
        'ENV GOLANG_VERSION=standin'
        'WORKDIR /go'
        'CMD ["sh"]'
    )
    import_dir "$root" golang golang:1.22-bookworm "${env[@]}"
    docker tag golang:1.22-bookworm golang:1.22
}

# the files every distroless image has (static-debian12)
distroless_rootfs() {
    local root=$1 p
    [[ -n "$SRC" ]] || ensure_host_packages ca-certificates netbase tzdata media-types base-files
    mkdir -p "$root"/{etc,tmp,root,home/nonroot,var/lib/dpkg/status.d,usr/share,bin,sbin,lib,usr/bin}
    chmod 1777 "$root/tmp"
    chmod 700 "$root/root" "$root/home/nonroot"
    chown 65532:65532 "$root/home/nonroot"
    cat >"$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
EOF
    cat >"$root/etc/group" <<'EOF'
root:x:0:
nobody:x:65534:
tty:x:5:
staff:x:50:
nonroot:x:65532:
EOF
    cat >"$root/etc/nsswitch.conf" <<'EOF'
hosts: files dns
EOF
    copy_in "$root" "$SRC" /etc/os-release /etc/debian_version /etc/services /etc/protocols /etc/mime.types \
        /etc/ssl/certs/ca-certificates.crt
    cp -aL "$SRC/usr/share/zoneinfo" "$root/usr/share/zoneinfo"
    rm -rf "$root/usr/share/zoneinfo/right" "$root/usr/share/zoneinfo/posix"
    # the Debian 13 images name themselves as distroless does (common/variables.bzl there),
    # in /usr/lib/os-release with /etc/os-release linking to it
    if [[ -n "$SRC" ]]; then
        rm -f "$root/etc/os-release"
        mkdir -p "$root/usr/lib"
        ln -s ../usr/lib/os-release "$root/etc/os-release"
        printf '%s\n' 'PRETTY_NAME="Distroless"' 'NAME="Debian GNU/Linux"' 'ID="debian"' 'VERSION_ID="13"' \
            'VERSION="Debian GNU/Linux 13 (trixie)"' 'HOME_URL="https://github.com/GoogleContainerTools/distroless"' \
            'SUPPORT_URL="https://github.com/GoogleContainerTools/distroless/blob/master/README.md"' \
            'BUG_REPORT_URL="https://github.com/GoogleContainerTools/distroless/issues/new"' >"$root/usr/lib/os-release"
    fi
    for p in base-files netbase tzdata media-types ca-certificates; do
        dpkg_entry "$root" "$p"
    done
}

# one dpkg status stanza per file, as distroless keeps them
dpkg_entry() {
    local root=$1 pkg=$2 name
    name=${pkg%%:*}
    dpkg-query --admindir="$SRC/var/lib/dpkg" -s "$pkg" >"$root/var/lib/dpkg/status.d/$name" 2>/dev/null ||
        { rm -f "$root/var/lib/dpkg/status.d/$name"; log "  note: host has no $pkg; no status entry"; }
    # the Debian 13 images also carry each package's .md5sums beside it, as distroless does
    if [[ -n "$SRC" ]]; then
        local m
        for m in "$SRC/var/lib/dpkg/info/$name.md5sums" "$SRC/var/lib/dpkg/info/$name:amd64.md5sums"; do
            [[ -f "$m" ]] && cp "$m" "$root/var/lib/dpkg/status.d/$name.md5sums"
        done
    fi
    return 0
}

build_distroless() { distroless_images 12 libssl3; }

build_distroless13() {
    local SUITE=trixie SRC="$WORK/trixie-src" tarball
    tarball=$(rootfs_tar distroless-src-trixie "ca-certificates,netbase,tzdata,media-types,libssl3t64")
    unpack "$tarball" "$SRC"
    distroless_images 13 libssl3t64
}

# distroless_images DEBIAN_MAJOR SSL_PACKAGE: static-debianN (4 tags) and base-debianN (2 tags),
# the files taken from $SRC ("" = the host)
distroless_images() {
    local deb=$1 sslpkg=$2
    local root="$WORK/distroless$deb" lib
    distroless_rootfs "$root"
    rmdir "$root/bin" "$root/sbin" "$root/lib" "$root/usr/bin" 2>/dev/null || true
    local static=gcr.io/distroless/static-debian$deb name=distroless
    [[ $deb == 12 ]] || name=distroless$deb
    local denv=('ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' 'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt')
    import_dir "$root" $name "$static:latest" "${denv[@]}" 'WORKDIR /'
    import_dir "$root" $name "$static:nonroot" "${denv[@]}" 'USER 65532' 'WORKDIR /home/nonroot'

    # :debug adds a busybox under /busybox and makes it the entrypoint
    local dbg="$WORK/distroless$deb-debug"
    cp -a "$root" "$dbg"
    mkdir -p "$dbg/busybox"
    busybox_rootfs "$WORK/bb-for-debug$deb"
    cp "$WORK/bb-for-debug$deb/bin/busybox" "$dbg/busybox/busybox"
    for a in $(/bin/busybox --list); do
        [[ "$a" == busybox ]] || ln -sf busybox "$dbg/busybox/$a"
    done
    local dbgenv=('ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/busybox' 'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt' 'ENTRYPOINT ["/busybox/sh"]')
    import_dir "$dbg" $name "$static:debug" "${dbgenv[@]}" 'WORKDIR /'
    import_dir "$dbg" $name "$static:debug-nonroot" "${dbgenv[@]}" 'USER 65532' 'WORKDIR /home/nonroot'

    # base adds glibc and OpenSSL
    local base="$WORK/distroless$deb-base"
    cp -a "$root" "$base"
    [[ -n "$SRC" ]] || ensure_host_packages libc6 "$sslpkg"
    local multiarch=/usr/lib/x86_64-linux-gnu
    [[ -d $SRC$multiarch ]] || multiarch=/lib/x86_64-linux-gnu
    for lib in libc.so.6 libm.so.6 libdl.so.2 libpthread.so.0 librt.so.1 libresolv.so.2 \
        libnss_files.so.2 libnss_dns.so.2 libssl.so.3 libcrypto.so.3 libgcc_s.so.1; do
        copy_in "$base" "$SRC" "$multiarch/$lib"
    done
    copy_in "$base" "$SRC" /lib64/ld-linux-x86-64.so.2
    for lib in libc6 "$sslpkg"; do dpkg_entry "$base" "$lib:amd64"; done
    local bimg=gcr.io/distroless/base-debian$deb
    import_dir "$base" $name "$bimg:latest" "${denv[@]}" 'WORKDIR /'
    import_dir "$base" $name "$bimg:nonroot" "${denv[@]}" 'USER 65532' 'WORKDIR /home/nonroot'
}

build_debian() {
    local tarball
    tarball=$(rootfs_tar base "")
    local root="$WORK/debian"
    unpack "$tarball" "$root"
    import_dir "$root" debian debian:bookworm 'CMD ["bash"]'
    # slim: no documentation, manual pages or translations (what the -slim images drop)
    find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
    find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete 2>/dev/null || true
    rm -rf "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/* "$root"/usr/share/lintian
    import_dir "$root" debian debian:bookworm-slim 'CMD ["bash"]'
}

PYTHON_PKGS="python3,python3-pip,python-is-python3,ca-certificates,netbase,tzdata"

build_python() {
    local tarball root="$WORK/python"
    tarball=$(rootfs_tar python "$PYTHON_PKGS")
    unpack "$tarball" "$root"
    rm -rf "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/*
    # pip refuses system installs on Debian 12 (PEP 668); the python image has no such marker
    rm -f "$root"/usr/lib/python3.*/EXTERNALLY-MANAGED
    local env=(
        'ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin'
        'ENV LANG=C.UTF-8'
        'ENV PYTHON_VERSION=3.11-standin'
        'CMD ["python3"]'
    )
    import_dir "$root" python python:3.11-slim "${env[@]}"
    docker tag python:3.11-slim python:3.11-slim-bookworm
}

build_distroless_python() {
    local tarball src="$WORK/python-src" root="$WORK/distroless-python" f lib
    tarball=$(rootfs_tar python "$PYTHON_PKGS")
    unpack "$tarball" "$src"
    distroless_rootfs "$root"
    rmdir "$root/bin" "$root/sbin" 2>/dev/null || true
    local py
    py=$(basename "$(readlink -f "$src/usr/bin/python3")")
    copy_in "$root" "$src" "/usr/bin/$py"
    ln -s "$py" "$root/usr/bin/python3"
    # the standard library without pip, ensurepip, idle, tests or the Debian site hooks
    mkdir -p "$root/usr/lib"
    cp -a "$src/usr/lib/$py" "$root/usr/lib/$py"
    rm -rf "$root/usr/lib/$py"/{ensurepip,idlelib,test,lib2to3/tests,turtledemo,tkinter,EXTERNALLY-MANAGED}
    find "$root/usr/lib/$py" -name '__pycache__' -prune -exec rm -rf {} +
    # the shared libraries the interpreter and its extension modules need, from the same root
    local elfs=("/usr/bin/$py")
    while IFS= read -r f; do elfs+=("${f#"$src"}"); done < <(find "$src/usr/lib/$py/lib-dynload" -name '*.so')
    local need
    need=$({ chroot "$src" ldd "${elfs[@]}" 2>/dev/null || true; } | awk '/=> \//{print $3} /^\t\/[^ ]+ \(/{print $1}' | sort -u)
    for lib in $need libnss_files.so.2 libnss_dns.so.2; do
        [[ $lib == /* ]] || lib=/usr/lib/x86_64-linux-gnu/$lib
        copy_in "$root" "$src" "$lib"
    done
    copy_in "$root" "$src" /lib64/ld-linux-x86-64.so.2
    # the package database entries of what was copied, one file per package
    local pkg
    for pkg in libc6 libssl3 "libpython3.11-stdlib" "libpython3.11-minimal" python3.11-minimal libffi8 zlib1g \
        libexpat1 libbz2-1.0 liblzma5 libsqlite3-0 libncursesw6 libtinfo6 libreadline8 libuuid1 libdb5.3 libmpdec3 libgdbm6 libcrypt1; do
        chroot "$src" dpkg-query -s "$pkg" >"$root/var/lib/dpkg/status.d/$pkg" 2>/dev/null || rm -f "$root/var/lib/dpkg/status.d/$pkg"
    done
    local env=('ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' 'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt' 'ENV LANG=C.UTF-8' "ENTRYPOINT [\"/usr/bin/$py\"]")
    import_dir "$root" distroless-python gcr.io/distroless/python3-debian12:latest "${env[@]}" 'WORKDIR /'
    import_dir "$root" distroless-python gcr.io/distroless/python3-debian12:nonroot "${env[@]}" 'USER 65532' 'WORKDIR /home/nonroot'
}

# ---------------------------------------------------------------------------
# Debian 13 (trixie) stand-ins: what the lessons use. Every file comes from a
# debootstrapped trixie, so builder and runtime images share one glibc (2.41).

build_debian13() {
    local SUITE=trixie tarball root="$WORK/debian13"
    tarball=$(rootfs_tar base-trixie "")
    unpack "$tarball" "$root"
    import_dir "$root" debian13 debian:trixie 'CMD ["bash"]'
    find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
    find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete 2>/dev/null || true
    rm -rf "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/* "$root"/usr/share/lintian
    import_dir "$root" debian13 debian:trixie-slim 'CMD ["bash"]'
}

# golang:1.25-trixie: Debian trixie with Go in /usr/local/go. The Go inside is
# Debian trixie's golang-1.24 (no Go 1.25 package exists in Debian 13); the lessons'
# go.mod files say `go 1.24`, so both the stand-in and the real image build them.
# The real image also has gcc and git; without a C compiler Go builds with cgo off.
build_golang13() {
    local SUITE=trixie tarball root="$WORK/golang13"
    tarball=$(rootfs_tar golang-trixie "golang-1.24-go,ca-certificates")
    unpack "$tarball" "$root"
    mkdir -p "$root/usr/local/go" "$root/go/bin" "$root/go/src" "$root/go/pkg"
    chmod -R 777 "$root/go"
    cp -aL "$root/usr/lib/go-1.24/." "$root/usr/local/go/"
    rm -rf "$root/usr/lib/go-1.24" "$root/usr/share/go-1.24" "$root/usr/local/go/test" "$root/usr/local/go/misc"
    rm -rf "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/*
    local env=(
        'ENV PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
        'ENV GOPATH=/go'
        'ENV GOROOT=/usr/local/go'
        'ENV GOTOOLCHAIN=local'
        'ENV GOPROXY=off'
        'ENV GOFLAGS=-mod=mod'
        'ENV GOLANG_VERSION=1.24-debian-standin'
        'WORKDIR /go'
        'CMD ["bash"]'
    )
    import_dir "$root" golang13 golang:1.25-trixie "${env[@]}"
    docker tag golang:1.25-trixie golang:1.25
}

PYTHON13_PKGS="python3,python3-pip,python-is-python3,ca-certificates,netbase,tzdata"

# python:3.13-slim-trixie: Debian trixie's python3.13 (in /usr/bin, where the real image
# has /usr/local/bin) with pip
build_python13() {
    local SUITE=trixie tarball root="$WORK/python13"
    tarball=$(rootfs_tar python-trixie "$PYTHON13_PKGS")
    unpack "$tarball" "$root"
    rm -rf "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/*
    rm -f "$root"/usr/lib/python3.*/EXTERNALLY-MANAGED
    local env=(
        'ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin'
        'ENV LANG=C.UTF-8'
        'ENV PYTHON_VERSION=3.13-standin'
        'CMD ["python3"]'
    )
    import_dir "$root" python13 python:3.13-slim-trixie "${env[@]}"
    docker tag python:3.13-slim-trixie python:3.13-slim
}

# gcr.io/distroless/python3-debian13: trixie's python3.13, its standard library and the
# shared libraries they need, no shell; the dpkg entries of the packages those files
# come from, one file per package in status.d (plus .md5sums, as distroless has)
build_distroless_python13() {
    local SUITE=trixie tarball src="$WORK/python13-src" root="$WORK/distroless-python13" f lib
    tarball=$(rootfs_tar python-trixie "$PYTHON13_PKGS")
    unpack "$tarball" "$src"
    local SRC="$src"
    distroless_rootfs "$root"
    rmdir "$root/bin" "$root/sbin" 2>/dev/null || true
    local py
    py=$(basename "$(readlink -f "$src/usr/bin/python3")")
    copy_in "$root" "$src" "/usr/bin/$py"
    ln -s "$py" "$root/usr/bin/python3"
    mkdir -p "$root/usr/lib"
    cp -a "$src/usr/lib/$py" "$root/usr/lib/$py"
    rm -rf "$root/usr/lib/$py"/{ensurepip,idlelib,test,turtledemo,tkinter,EXTERNALLY-MANAGED}
    find "$root/usr/lib/$py" -name '__pycache__' -prune -exec rm -rf {} +
    local elfs=("/usr/bin/$py")
    while IFS= read -r f; do elfs+=("${f#"$src"}"); done < <(find "$src/usr/lib/$py/lib-dynload" -name '*.so')
    local need files=("/usr/bin/$py")
    need=$({ chroot "$src" ldd "${elfs[@]}" 2>/dev/null || true; } | awk '/=> \//{print $3} /^\t\/[^ ]+ \(/{print $1}' | sort -u)
    for lib in $need libnss_files.so.2 libnss_dns.so.2 libssl.so.3; do
        [[ $lib == /* ]] || lib=/usr/lib/x86_64-linux-gnu/$lib
        copy_in "$root" "$src" "$lib"
        files+=("$(readlink -f "$src$lib")")
    done
    copy_in "$root" "$src" /lib64/ld-linux-x86-64.so.2
    files+=("/usr/lib/$py/os.py" "/usr/lib/$py/lib-dynload")
    local pkgs pkg
    pkgs=$(for f in "${files[@]}"; do chroot "$src" dpkg -S "${f#"$src"}" 2>/dev/null; done | cut -d: -f1 | tr ',' '\n' | sed 's/ //g' | sort -u)
    for pkg in $pkgs; do
        chroot "$src" dpkg-query -s "$pkg" >"$root/var/lib/dpkg/status.d/$pkg" 2>/dev/null || { rm -f "$root/var/lib/dpkg/status.d/$pkg"; continue; }
        [[ -f "$src/var/lib/dpkg/info/$pkg.md5sums" ]] && cp "$src/var/lib/dpkg/info/$pkg.md5sums" "$root/var/lib/dpkg/status.d/$pkg.md5sums"
        [[ -f "$src/var/lib/dpkg/info/$pkg:amd64.md5sums" ]] && cp "$src/var/lib/dpkg/info/$pkg:amd64.md5sums" "$root/var/lib/dpkg/status.d/$pkg.md5sums"
    done
    local env=('ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' 'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt' 'ENV LANG=C.UTF-8' "ENTRYPOINT [\"/usr/bin/$py\"]")
    import_dir "$root" distroless-python13 gcr.io/distroless/python3-debian13:latest "${env[@]}" 'WORKDIR /'
    import_dir "$root" distroless-python13 gcr.io/distroless/python3-debian13:nonroot "${env[@]}" 'USER 65532' 'WORKDIR /home/nonroot'
}

# buildpack-deps:trixie-curl: Debian trixie plus curl, wget, gnupg and CA certificates,
# the everyday "debian with tools" base (the attack-surface lesson's starting point)
build_curl13() {
    local SUITE=trixie tarball root="$WORK/curl13"
    tarball=$(rootfs_tar curl-trixie "ca-certificates,curl,wget,gnupg,netbase")
    unpack "$tarball" "$root"
    import_dir "$root" curl13 buildpack-deps:trixie-curl 'CMD ["bash"]'
}

# node:24-trixie-slim: Debian trixie's nodejs and npm (Node 20 in Debian 13, not 24)
build_node13() {
    local SUITE=trixie tarball root="$WORK/node13"
    tarball=$(rootfs_apt_tar node-trixie "nodejs npm ca-certificates")
    unpack "$tarball" "$root"
    rm -rf "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/* "$root"/usr/share/doc/*
    grep -q '^node:' "$root/etc/passwd" || {
        echo 'node:x:1000:1000::/home/node:/bin/sh' >>"$root/etc/passwd"
        echo 'node:x:1000:' >>"$root/etc/group"
        mkdir -p "$root/home/node"
        chown 1000:1000 "$root/home/node"
    }
    local env=(
        'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
        'ENV NODE_VERSION=debian-standin'
        'ENV npm_config_offline=true'
        'ENV npm_config_update_notifier=false'
        'CMD ["node"]'
    )
    import_dir "$root" node13 node:24-trixie-slim "${env[@]}"
    docker tag node:24-trixie-slim node:24-slim
}

# Java 21 on Debian 13: one apt-get root file system (trixie's OpenJDK 21, not Temurin)
# serves the JDK builder and the distroless runtime, as one Debian release would.
JDK13_PKGS="openjdk-21-jdk-headless ca-certificates curl wget netbase media-types"
JDK13_JVM=/usr/lib/jvm/java-21-openjdk-amd64

# eclipse-temurin:21-jdk: Ubuntu with Temurin's JDK in /opt/java/openjdk in the real image;
# here Debian trixie with Debian's OpenJDK 21 JDK moved to /opt/java/openjdk (Debian's
# path stays as a link), plus curl and wget as the real image has them. The real
# entrypoint script imports extra CA certificates when asked and then runs its
# arguments; this one only runs them.
build_jdk13() {
    local SUITE=trixie tarball root="$WORK/jdk13"
    tarball=$(rootfs_apt_tar jdk-trixie "$JDK13_PKGS")
    unpack "$tarball" "$root"
    rm -rf "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/* "$root"/usr/share/doc/*
    mkdir -p "$root/opt/java"
    mv "$root$JDK13_JVM" "$root/opt/java/openjdk"
    ln -s /opt/java/openjdk "$root$JDK13_JVM"
    rm -f "$root/opt/java/openjdk/docs" "$root/opt/java/openjdk/lib/src.zip"
    printf '%s\n' '#!/bin/sh' '# stand-in for the real CA certificate entrypoint: run the command' 'exec "$@"' \
        >"$root/__cacert_entrypoint.sh"
    chmod 755 "$root/__cacert_entrypoint.sh"
    local env=(
        'ENV JAVA_HOME=/opt/java/openjdk'
        'ENV PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
        'ENV LANG=C.UTF-8'
        'ENV JAVA_VERSION=jdk-21-debian-standin'
        'ENTRYPOINT ["/__cacert_entrypoint.sh"]'
        'CMD ["jshell"]'
    )
    import_dir "$root" jdk13 eclipse-temurin:21-jdk "${env[@]}"
    docker tag eclipse-temurin:21-jdk eclipse-temurin:21
}

# gcr.io/distroless/java21-debian13: the distroless13 files (users, CA certificates,
# tzdata, status.d) plus glibc, the files of openjdk-21-jre-headless (no javac, no
# jmods) and the shared libraries they link, /usr/bin/java as a direct link to the JRE's
# java (the real image links to /usr/lib/jvm/temurin-21-jre-amd64/bin/java), Java's
# CA store, and one status.d entry per package those files come from. No shell, no
# package manager; ENTRYPOINT ["/usr/bin/java", "-jar"], as in the real image.
build_distroless_java13() {
    local SUITE=trixie tarball src="$WORK/jdk13-src" root="$WORK/distroless-java13" f lib
    tarball=$(rootfs_apt_tar jdk-trixie "$JDK13_PKGS")
    unpack "$tarball" "$src"
    local SRC="$src"
    distroless_rootfs "$root"
    rmdir "$root/bin" "$root/sbin" "$root/lib" "$root/usr/bin" 2>/dev/null || true
    # merged /usr, as in Debian 13: ldd names libraries under /lib, which is usr/lib here
    ln -s usr/lib "$root/lib"
    # the JRE package's files, symbolic links kept (they point into /etc/java-21-openjdk)
    chroot "$src" dpkg -L openjdk-21-jre-headless |
        grep -Ev '^/usr/share/(doc|man|lintian)|^/usr/lib/debug|^/\.$' >"$WORK/jre.list"
    tar -C "$src" --no-recursion -cf - -T <(sed 's|^/||' "$WORK/jre.list") | tar -C "$root" -xf -
    mkdir -p "$root/usr/bin"
    ln -s "$JDK13_JVM/bin/java" "$root/usr/bin/java"
    copy_in "$root" "$src" /etc/ssl/certs/java/cacerts
    # glibc and what the JRE's programs and libraries link against, from the same root
    local elfs=() files=()
    while IFS= read -r f; do
        [[ -f "$src$f" && ! -L "$src$f" ]] && file -b "$src$f" | grep -q '^ELF' && elfs+=("$f")
    done <"$WORK/jre.list"
    local need
    need=$({ chroot "$src" ldd "${elfs[@]}" 2>/dev/null || true; } | awk '/=> \//{print $3} /^\t\/[^ ]+ \(/{print $1}' |
        grep -v "^$JDK13_JVM" | sort -u)
    for lib in $need libc.so.6 libm.so.6 libdl.so.2 libpthread.so.0 librt.so.1 libresolv.so.2 libnss_files.so.2 libnss_dns.so.2; do
        [[ $lib == /* ]] || lib=/usr/lib/x86_64-linux-gnu/$lib
        [[ -e "$src$lib" ]] || continue
        copy_in "$root" "$src" "$lib"
        files+=("$(readlink -f "$src$lib")")
    done
    copy_in "$root" "$src" /lib64/ld-linux-x86-64.so.2
    files+=("$JDK13_JVM/bin/java")
    local pkgs pkg
    pkgs=$(for f in "${files[@]}"; do chroot "$src" dpkg -S "${f#"$src"}" 2>/dev/null; done | cut -d: -f1 | tr ',' '\n' | sed 's/ //g' | sort -u)
    for pkg in $pkgs; do
        chroot "$src" dpkg-query -s "$pkg" >"$root/var/lib/dpkg/status.d/$pkg" 2>/dev/null || {
            rm -f "$root/var/lib/dpkg/status.d/$pkg"
            continue
        }
        for f in "$src/var/lib/dpkg/info/$pkg.md5sums" "$src/var/lib/dpkg/info/$pkg:amd64.md5sums"; do
            [[ -f "$f" ]] && cp "$f" "$root/var/lib/dpkg/status.d/$pkg.md5sums"
        done
    done
    local env=(
        'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
        'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt'
        'ENV LANG=C.UTF-8'
        'ENV JAVA_VERSION=21-debian-standin'
        'ENTRYPOINT ["/usr/bin/java", "-jar"]'
    )
    import_dir "$root" distroless-java13 gcr.io/distroless/java21-debian13:latest "${env[@]}" 'WORKDIR /'
    import_dir "$root" distroless-java13 gcr.io/distroless/java21-debian13:nonroot "${env[@]}" 'USER 65532' 'WORKDIR /home/nonroot'
}

# write_lines FILE LINE...: FILE holds exactly those lines
write_lines() {
    local file=$1
    shift
    printf '%s\n' "$@" >"$file"
}

# what the hardened stand-ins below share: trixie's CA bundle and time zones, /tmp,
# /root and the nonroot user's home
hardened_common() {
    local root=$1 src=$2
    mkdir -p "$root/etc/ssl/certs" "$root/usr/share" "$root/tmp" "$root/root" "$root/home/nonroot"
    cp -aL "$src/etc/ssl/certs/ca-certificates.crt" "$root/etc/ssl/certs/ca-certificates.crt"
    cp -aL "$src/usr/share/zoneinfo" "$root/usr/share/zoneinfo"
    rm -rf "$root/usr/share/zoneinfo/right" "$root/usr/share/zoneinfo/posix"
    chmod 1777 "$root/tmp"
    chmod 700 "$root/root"
    chown 65532:65532 "$root/home/nonroot"
}

# cgr.dev/chainguard/static:latest: the layout of a Wolfi image built by apko. Merged
# /usr (/bin, /sbin -> usr/bin, /lib -> usr/lib), the apk database in
# /usr/lib/apk/db/installed (so also /lib/apk/db/installed), one SPDX document per
# package in /var/lib/db/sbom, Wolfi's os-release, root and nonroot (65532) and no
# programs at all. The five packages are those Chainguard lists for static:latest;
# their files are trixie's CA bundle and time zones, and the versions say stand-in.
WOLFI_STATIC_PKGS="ca-certificates-bundle chainguard-baselayout glibc-locale-posix tzdata wolfi-baselayout"

build_wolfi_static() {
    local SUITE=trixie tarball src="$WORK/wolfi-src" root="$WORK/wolfi-static" p
    tarball=$(rootfs_tar distroless-src-trixie "ca-certificates,netbase,tzdata,media-types,libssl3t64")
    unpack "$tarball" "$src"
    mkdir -p "$root"/{dev,proc,sys,run,etc/apk/keys,usr/bin,usr/lib/apk/db,usr/local/lib,var/empty,var/tmp,var/lib/db/sbom,var/cache/apk}
    hardened_common "$root" "$src"
    chmod 1777 "$root/var/tmp"
    ln -s usr/bin "$root/bin"
    ln -s usr/bin "$root/sbin"
    ln -s usr/lib "$root/lib"
    ln -s usr/lib "$root/lib64"
    ln -s bin "$root/usr/sbin"
    ln -s lib "$root/usr/lib64"
    ln -s ../run "$root/var/run"
    write_lines "$root/etc/passwd" \
        'root:x:0:0:root:/root:/bin/ash' \
        'nobody:x:65534:65534:nobody:/:/sbin/nologin' \
        'nonroot:x:65532:65532::/home/nonroot:/bin/ash'
    write_lines "$root/etc/group" 'root:x:0:root' 'nobody:x:65534:' 'nonroot:x:65532:nonroot'
    write_lines "$root/etc/os-release" 'ID=wolfi' 'NAME="Wolfi"' 'PRETTY_NAME="Wolfi"' 'VERSION_ID="20230201"' \
        'HOME_URL="https://wolfi.dev"' 'BUG_REPORT_URL="https://github.com/wolfi-dev/os/issues"'
    write_lines "$root/etc/apk/arch" x86_64
    write_lines "$root/etc/apk/world" $WOLFI_STATIC_PKGS
    : >"$root/etc/apk/repositories"
    : >"$root/usr/lib/apk/db/triggers"
    local db="$root/usr/lib/apk/db/installed"
    : >"$db"
    for p in $WOLFI_STATIC_PKGS; do
        {
            printf 'C:Q1standin000000000000000000000=\nP:%s\nV:0-r0\nA:x86_64\nS:0\nI:0\n' "$p"
            printf 'T:%s (dockdojo stand-in)\nU:https://github.com/wolfi-dev/os\nL:MIT\no:%s\nm:dockdojo stand-in\nt:0\n' "$p" "$p"
            case $p in
            ca-certificates-bundle) printf 'F:etc/ssl/certs\nR:ca-certificates.crt\n' ;;
            wolfi-baselayout) printf 'F:etc\nR:os-release\nR:passwd\nR:group\n' ;;
            tzdata) printf 'F:usr/share/zoneinfo\nR:UTC\n' ;;
            esac
            printf '\n'
        } >>"$db"
        printf '{"spdxVersion":"SPDX-2.3","dataLicense":"CC0-1.0","SPDXID":"SPDXRef-DOCUMENT","name":"apk-%s-0-r0","packages":[{"SPDXID":"SPDXRef-Package-%s","name":"%s","versionInfo":"0-r0","comment":"dockdojo stand-in"}]}\n' \
            "$p" "$p" "$p" >"$root/var/lib/db/sbom/$p-0-r0.spdx.json"
    done
    import_dir "$root" wolfi-static cgr.dev/chainguard/static:latest \
        'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt' 'USER 65532'
}

# dhi.io/static:20250419-debian13: the layout of Docker's Debian 13 static hardened
# image as its catalog definition describes it (packages base-files, ca-certificates,
# tzdata; root and nonroot 65532, run as nonroot; its os-release). The package list is
# the one classic file /var/lib/dpkg/status. The stanzas are trixie's (the real
# packages are Docker's source builds, with versions like 20250419+dhi2).
build_dhi_static13() {
    local SUITE=trixie tarball src="$WORK/dhi-src" root="$WORK/dhi-static13" p
    tarball=$(rootfs_tar distroless-src-trixie "ca-certificates,netbase,tzdata,media-types,libssl3t64")
    unpack "$tarball" "$src"
    mkdir -p "$root"/{usr/bin,usr/sbin,usr/lib,var/lib/dpkg,etc}
    hardened_common "$root" "$src"
    ln -s usr/bin "$root/bin"
    ln -s usr/sbin "$root/sbin"
    ln -s usr/lib "$root/lib"
    cp -a "$src/etc/debian_version" "$root/etc/debian_version"
    write_lines "$root/etc/passwd" 'root:x:0:0:root:/root:/sbin/nologin' 'nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin'
    write_lines "$root/etc/group" 'root:x:0:' 'nonroot:x:65532:nonroot'
    write_lines "$root/etc/os-release" 'NAME="Docker Hardened Images (Debian)"' 'ID=debian' 'VERSION_ID="13"' \
        'VERSION_CODENAME=trixie' 'PRETTY_NAME="Docker Hardened Images/Debian GNU/Linux 13 (trixie)"' \
        'HOME_URL="https://docker.com/products/hardened-images/"' 'BUG_REPORT_URL="https://docker.com/support/"'
    : >"$root/var/lib/dpkg/status"
    for p in base-files ca-certificates tzdata; do
        dpkg-query --admindir="$src/var/lib/dpkg" -s "$p" >>"$root/var/lib/dpkg/status"
        printf '\n' >>"$root/var/lib/dpkg/status"
    done
    local env=('ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' 'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt' 'USER nonroot')
    import_dir "$root" dhi-static13 dhi.io/static:20250419-debian13 "${env[@]}"
    docker tag dhi.io/static:20250419-debian13 dhi.io/static:20250419
}

# ---------------------------------------------------------------------------

ensure_host_packages file
total0=$SECONDS
for name in "${WANT[@]}"; do
    if current "$name"; then
        log "$name: up to date (${TAGS[$name]})"
        continue
    fi
    t0=$SECONDS
    log "$name: building"
    "build_${name//-/_}"
    log "$name: done in $((SECONDS - t0)) s"
done
log "all done in $((SECONDS - total0)) s"
