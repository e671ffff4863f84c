#!/usr/bin/env bash
# Installs the optional PyTorch peer of the tensor benchmark (`pnpm bench`): Debian's
# python3-torch (CPU) and an optimized BLAS for it and NumPy. The benchmark runs without them
# and then says that PyTorch was skipped.
#
# Debian's python3-torch and python3-numpy link the generic libblas.so.3, which by default is
# the netlib reference BLAS (a few GFLOP/s); libopenblas0-pthread registers itself as that
# library's alternative, so both peers then run OpenBLAS's kernels.
#
# The package installs into the system interpreter (/usr/bin/python3). A different python3
# earlier on PATH (pyenv, a virtualenv) will not see it, so the benchmark looks for an
# interpreter that can `import torch`: $FCN_BENCH_PYTHON, then /usr/bin/python3, then python3.
#
# Usage: tools/install-bench-peers.sh   (as root, or with sudo available)
set -euo pipefail

if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi

have_torch() { "$1" -c 'import torch' >/dev/null 2>&1; }

have_openblas() { dpkg -s libopenblas0-pthread >/dev/null 2>&1; }

for py in "${FCN_BENCH_PYTHON:-}" /usr/bin/python3 python3; do
  if [ -n "$py" ] && command -v "$py" >/dev/null 2>&1 && have_torch "$py" && have_openblas; then
    echo "PyTorch already importable by $py ($("$py" -c 'import torch; print(torch.__version__)')), OpenBLAS installed"
    exit 0
  fi
done

if ! command -v apt-get >/dev/null 2>&1; then
  echo "apt-get not found: install PyTorch (CPU) for python3 by other means, or set FCN_BENCH_PYTHON." >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends python3-torch libopenblas0-pthread

for py in /usr/bin/python3 python3; do
  if command -v "$py" >/dev/null 2>&1 && have_torch "$py"; then
    echo "PyTorch $("$py" -c 'import torch; print(torch.__version__)') is importable by $(command -v "$py")"
    exit 0
  fi
done
echo "python3-torch installed, but no python3 on this machine can import torch" >&2
exit 1
