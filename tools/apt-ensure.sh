#!/usr/bin/env bash
# Installs the named Debian packages that are missing, quietly (apt's output is shown only
# when it fails). Does nothing on a machine without dpkg or when everything is installed.
# Usage: tools/apt-ensure.sh <why, for messages> <required|optional> <package>...
#   optional: a missing package without root/sudo is a warning; required: an error.
set -euo pipefail
why="$1"
need="$2"
shift 2
command -v dpkg-query >/dev/null 2>&1 || exit 0
missing=()
for p in "$@"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "$why: missing ${missing[*]} and not root; install them with apt-get" >&2
    [ "$need" = optional ] && exit 0 || exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! { $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
  cat "$log" >&2
  exit 1
fi
