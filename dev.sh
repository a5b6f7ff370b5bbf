#!/usr/bin/env bash
# The two commands of a fresh Debian machine:  ./dev.sh demo   and   ./dev.sh test
# Everything else is in the Makefile; this script only makes sure make and Python's venv exist first.
set -euo pipefail
cd "$(dirname "$0")"
need=()
command -v make >/dev/null || need+=(make)
python3 -c "import venv, ensurepip" 2>/dev/null || need+=(python3-venv)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
  else
    echo "Please install: ${need[*]} (sudo apt-get install ${need[*]})" >&2
    exit 1
  fi
fi
case "${1:-}" in
  demo) exec make demo ;;
  test) shift; exec make test ARGS="$*" ;;
  *) echo "usage: ./dev.sh demo | ./dev.sh test [pytest args]" >&2; exit 2 ;;
esac
