"""NumPy peer of the @fcn/tensor benchmark's threaded matmul (BLAS sgemm/dgemm).

Reads the same JSON request as torch_bench.py on stdin (the cases and the timing options;
the thread count is set by the caller through OPENBLAS_NUM_THREADS / OMP_NUM_THREADS /
MKL_NUM_THREADS, which a BLAS reads when it loads), times the matmul cases with the same
method, and prints one JSON object with NumPy's BLAS configuration. Run by
bench/engines/numpy.ts; not meant to be called by hand.
"""

import contextlib
import io
import json
import os
import platform
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_bench import blas_kind, blas_libraries, environment_record, measure  # noqa: E402


def uniform(np, n, dtype, seed):
    rng = np.random.default_rng(seed)
    return (rng.random((n, n)) * 2 - 1).astype(dtype)


def numpy_config(np):
    shown = io.StringIO()
    with contextlib.redirect_stdout(shown):
        with contextlib.suppress(Exception):
            np.show_config()
    cfg = {"showConfig": shown.getvalue()}
    with contextlib.suppress(Exception):
        # numpy < 2: blas_opt_info and friends are module attributes of numpy.__config__.
        cfg["blasOptInfo"] = {k: (list(v) if isinstance(v, (list, tuple)) else v) for k, v in np.__config__.blas_opt_info.items()}
    with contextlib.suppress(Exception):
        import threadpoolctl  # optional

        cfg["threadpools"] = threadpoolctl.threadpool_info()
    cfg.update(environment_record())
    return cfg


def main():
    request = json.load(sys.stdin)
    out = {"available": False, "python": sys.executable, "pythonVersion": platform.python_version()}
    try:
        import numpy as np
    except Exception as error:  # noqa: BLE001 - any import failure means "skip this peer"
        out["note"] = f"import numpy failed: {error}"
        print(json.dumps(out))
        return
    threads = request.get("threads")
    out.update(available=True, version=np.__version__, threads=threads, config=numpy_config(np))
    results = {}
    for case in request["cases"]:
        p = case["params"]
        if p["kind"] != "matmul":
            results[case["id"]] = "not supported"
            continue
        dtype = np.float32 if p["dtype"] == "float32" else np.float64
        a = uniform(np, p["n"], dtype, 1)
        b = uniform(np, p["n"], dtype, 2)
        if p["transposeA"]:
            fn = lambda: a.T @ b  # noqa: E731
        elif p["transposeB"]:
            fn = lambda: a @ b.T  # noqa: E731
        else:
            fn = lambda: a @ b  # noqa: E731
        try:
            results[case["id"]] = measure(fn, request["options"])
        except Exception as error:  # noqa: BLE001 - report and go on
            results[case["id"]] = f"failed: {error}"
        sys.stderr.write(f"  numpy@{threads} {case['id']}\n")
        sys.stderr.flush()
    libs = blas_libraries()
    out["config"].update(blasLibraries=libs, blasKind=blas_kind(libs))
    out["results"] = results
    out["checks"] = {}
    print(json.dumps(out, allow_nan=True))


if __name__ == "__main__":
    main()
