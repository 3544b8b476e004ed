#!/usr/bin/env bash
# Mesa's software Vulkan driver (lavapipe) for the trainer's WebGPU tests (apps/trainer/src/backend/webgpu*).
# Dawn refuses bookworm's own Mesa 22.3.6 (no shaderSampledImageArrayDynamicIndexing), so the driver comes from
# Debian's bookworm-backports suite (Mesa 25.x), added with the same archive URI and keyring as the machine's
# existing bookworm entry. Idempotent: returns at once when a new-enough driver is installed.
set -euo pipefail

MIN_MESA_MAJOR=23
installed_major() {
  dpkg-query -W -f='${Status} ${Version}\n' mesa-vulkan-drivers 2>/dev/null |
    awk '$3 == "installed" { split($4, v, "."); print v[1] + 0 }'
}
if [ "$(installed_major || true)" -ge "$MIN_MESA_MAJOR" ] 2>/dev/null && dpkg -s libvulkan1 >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then echo "install-lavapipe: need root to apt-get install mesa-vulkan-drivers" >&2; exit 1; fi

# The archive URI and keyring of the existing bookworm entry (deb822 .sources files or one-line .list format).
uri="" keyring=""
for f in /etc/apt/sources.list.d/*.sources; do
  [ -f "$f" ] || continue
  # deb822 stanzas are separated by blank lines; take the one whose Suites include plain "bookworm".
  read -r uri keyring < <(awk 'BEGIN { RS = ""; FS = "\n" }
    /(^|\n)Suites:([^\n]* )?bookworm( |\n|$)/ {
      u = ""; k = ""
      for (i = 1; i <= NF; i++) {
        if ($i ~ /^URIs:/) { sub(/^URIs:[ \t]*/, "", $i); split($i, a, " "); u = a[1] }
        if ($i ~ /^Signed-By:/) { sub(/^Signed-By:[ \t]*/, "", $i); k = $i }
      }
      if (u != "") { print u, k; exit }
    }' "$f") || true
  [ -n "$uri" ] && break
done
if [ -z "$uri" ]; then
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    line=$(grep -E '^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?[a-z]+://[^[:space:]]+[[:space:]]+bookworm[[:space:]]' "$f" | head -1 || true)
    [ -n "$line" ] || continue
    uri=$(echo "$line" | sed -E 's/^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?([^[:space:]]+).*/\2/')
    keyring=$(echo "$line" | sed -nE 's/.*signed-by=([^] ]+).*/\1/p')
    break
  done
fi
if [ -z "$uri" ]; then echo "install-lavapipe: no Debian bookworm entry in apt's sources" >&2; exit 1; fi

list=/etc/apt/sources.list.d/bupo-bookworm-backports.sources
{
  echo "Types: deb"
  echo "URIs: $uri"
  echo "Suites: bookworm-backports"
  echo "Components: main"
  [ -z "$keyring" ] || echo "Signed-By: $keyring"
} >"$list"
echo "install-lavapipe: Mesa's Vulkan driver from bookworm-backports ($uri)"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -t bookworm-backports \
  mesa-vulkan-drivers libvulkan1 libdrm2 libdrm-amdgpu1 >/dev/null
dpkg-query -W -f='install-lavapipe: ${Package} ${Version}\n' mesa-vulkan-drivers
