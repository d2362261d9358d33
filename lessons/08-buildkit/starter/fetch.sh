#!/bin/sh
# Stands in for a download from your company's private module proxy: it needs
# the access token, from $TOKEN or from the file /run/secrets/token.
set -eu
token="${TOKEN:-}"
if [ -z "$token" ] && [ -r /run/secrets/token ]; then
    token=$(cat /run/secrets/token)
fi
case "$token" in
    dojo-token-*) echo "fetch.sh: private modules fetched" ;;
    *)
        echo "fetch.sh: no access token reached the build (see the lesson: a build secret)" >&2
        exit 1
        ;;
esac
