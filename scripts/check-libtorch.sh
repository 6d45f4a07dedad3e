#!/usr/bin/env bash
# Checks, before anything else, whether TorchSharp's native bridge can use a libtorch that is already installed
# (e.g. a GPU machine's PyTorch): every symbol libLibTorchSharp.so needs must resolve against that libtorch.
#
#   check-libtorch.sh LIBTORCH_LIB_DIR [HARNESS_DIR]
#
# LIBTORCH_LIB_DIR: the folder with libtorch.so, libtorch_cpu.so (and libtorch_cuda.so, libc10_cuda.so), e.g.
#   $(python3 -c 'import torch, os; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')
# HARNESS_DIR: a BACKEND=external build or bundle (default: the folder of this script).
# Exit 0 when nothing is undefined; then run the harness with LD_LIBRARY_PATH=LIBTORCH_LIB_DIR.
set -euo pipefail
lib_dir=${1:?usage: check-libtorch.sh LIBTORCH_LIB_DIR [HARNESS_DIR]}
harness_dir=${2:-$(cd "$(dirname "$0")" && pwd)}
bridge=$(find "$harness_dir" -name libLibTorchSharp.so -print -quit)
[ -n "$bridge" ] || { echo "no libLibTorchSharp.so under $harness_dir (build or publish with BACKEND=external)" >&2; exit 2; }
[ -e "$lib_dir/libtorch.so" ] || { echo "no libtorch.so in $lib_dir" >&2; exit 2; }
echo "bridge:   $bridge"
echo "libtorch: $lib_dir ($(ls "$lib_dir" | grep -E '^libtorch(_cuda|_cpu)?\.so$' | tr '\n' ' '))"
report=$(LD_LIBRARY_PATH="$lib_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" ldd -r "$bridge" 2>&1 || true)
missing=$(grep 'not found' <<<"$report" | grep -vc 'weak version' || true)
undefined=$(grep -c 'undefined symbol' <<<"$report" || true)
echo "libraries not found: $missing; undefined symbols: $undefined"
if [ "$missing" -gt 0 ] || [ "$undefined" -gt 0 ]; then
  grep -E 'not found|undefined symbol' <<<"$report" | grep -v 'weak version' | head -20 | sed 's/^/  /'
  echo "=> this libtorch does not fit TorchSharp 0.107 (built against libtorch 2.10.0): use BACKEND=cuda (libtorch from NuGet) instead" >&2
  exit 1
fi
echo "=> every symbol resolves: run with LD_LIBRARY_PATH=$lib_dir"
