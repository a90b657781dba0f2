#!/usr/bin/env bash
# install-deps.sh PKG... - install only the Debian packages that are missing.
#
# Used by `make run` and `make test` on a fresh Debian 12 machine.  Runs
# apt-get as root directly, or through sudo; never asks questions.
set -euo pipefail

missing=()
for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "install-deps: installing ${missing[*]}"
sudo=()
[[ $(id -u) -eq 0 ]] || sudo=(sudo)
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
if ! "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$log" 2>&1; then
    "${sudo[@]}" apt-get update -qq >>"$log" 2>&1 || true
    if ! "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >>"$log" 2>&1; then
        cat "$log" >&2
        echo "install-deps: could not install ${missing[*]}" >&2
        rm -f "$log"
        exit 1
    fi
fi
rm -f "$log"
