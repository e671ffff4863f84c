"""PyTorch CPU peer of the @fcn/tensor benchmark.

Reads a JSON request on stdin (the cases, the timing options, the MLP's data and initial
weights), times every case with the same method as the JavaScript harness (warm-up, then
repetitions until a minimum time and count; median seconds per call), and prints one JSON
object on stdout. Run by bench/engines/torch.ts; not meant to be called by hand.
"""

import contextlib
import io
import json
import os
import platform
import re
import sys
import time

# Removed from this process's environment by the benchmark (bench/peers.ts); recorded to show it.
SCRUBBED = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def environment_record():
    return {
        "scrubbedEnv": {k: os.environ.get(k) for k in SCRUBBED},
        "threadEnv": {k: os.environ.get(k) for k in THREAD_VARS},
    }


def blas_libraries():
    """Shared libraries mapped into this process that provide BLAS/LAPACK (after a product ran)."""
    found = []
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                path = line.split()[-1] if len(line.split()) >= 6 else ""
                name = os.path.basename(path)
                if re.search(r"(blas|blis|mkl|lapack|atlas|flexiblas|dnnl)", name, re.I):
                    real = os.path.realpath(path)
                    if real not in found:
                        found.append(real)
    except OSError:
        pass
    return found


def blas_kind(libraries):
    """A plain name for the BLAS behind the mapped libraries."""
    joined = " ".join(libraries).lower()
    for needle, kind in (("openblas", "OpenBLAS"), ("mkl", "MKL"), ("blis", "BLIS"), ("atlas", "ATLAS"), ("flexiblas", "FlexiBLAS")):
        if needle in joined:
            return kind
    if re.search(r"/blas/libblas\.so", joined) or "libblas.so" in joined:
        return "reference BLAS (netlib, unoptimized)"
    return "unknown"


def measure(fn, opt):
    calls = 0
    w0 = time.perf_counter()
    while True:
        fn()
        calls += 1
        elapsed = time.perf_counter() - w0
        if elapsed >= opt["warmupSeconds"]:
            break
    estimate = max(elapsed / calls, 1e-9)
    per_rep = opt["minSeconds"] / opt["minReps"]
    calls_per_rep = max(1, round(per_rep / estimate))
    samples = []
    total = 0.0
    while True:
        t0 = time.perf_counter()
        for _ in range(calls_per_rep):
            fn()
        dt = time.perf_counter() - t0
        samples.append(dt / calls_per_rep)
        total += dt
        if len(samples) >= opt["minReps"] and total >= opt["minSeconds"]:
            break
        if len(samples) >= 3 and total >= opt["maxSeconds"]:
            break
        if total >= 2 * opt["maxSeconds"]:
            break
    return {"samples": samples, "callsPerRep": calls_per_rep}


def uniform(torch, shape, dtype, seed):
    # Uniform(-1, 1) like the JavaScript side (the values differ; their distribution does not).
    n = 1
    for s in shape:
        n *= s
    gen = torch.Generator().manual_seed(seed)
    return (torch.rand(n, generator=gen, dtype=torch.float64) * 2 - 1).to(dtype).reshape(shape)


def prepare(torch, case, request):
    p = case["params"]
    if p["kind"] == "matmul":
        dtype = torch.float32 if p["dtype"] == "float32" else torch.float64
        n = p["n"]
        a = uniform(torch, [n, n], dtype, 1)
        b = uniform(torch, [n, n], dtype, 2)
        ta, tb = p["transposeA"], p["transposeB"]
        if ta:
            return lambda: a.t() @ b
        if tb:
            return lambda: a @ b.t()
        return lambda: a @ b
    if p["kind"] == "elementwise":
        rows, cols = p["rows"], p["cols"]
        a = uniform(torch, [rows, cols], torch.float32, 1)
        b = uniform(torch, [rows, cols], torch.float32, 2)
        row = uniform(torch, [cols], torch.float32, 3)
        ops = {
            "add": lambda: a + b,
            "mul": lambda: a * b,
            "exp": lambda: torch.exp(a),
            "erf": lambda: torch.erf(a),
            "addRow": lambda: a + row,
            "sum": lambda: a.sum(),
            "sumAxis0": lambda: a.sum(0),
            "sumAxis1": lambda: a.sum(1),
            "max": lambda: a.max(),
            "softmax": lambda: torch.softmax(a, -1),
        }
        return ops[p["op"]]
    if p["kind"] == "mlp":
        step, _ = make_mlp(torch, p, request["mlp"])
        return step
    if p["kind"] == "conv2d":
        x = uniform(torch, [p["batch"], p["inChannels"], p["size"], p["size"]], torch.float32, 1)
        w = uniform(torch, [p["outChannels"], p["inChannels"], p["kernel"], p["kernel"]], torch.float32, 2)
        return lambda: torch.nn.functional.conv2d(x, w, padding=p["padding"])
    return None


def make_mlp(torch, p, mlp):
    batch, layers = p["batch"], p["layers"]
    x = torch.tensor(mlp["x"], dtype=torch.float32).reshape(batch, layers[0])
    y = torch.tensor(mlp["y"], dtype=torch.float32).reshape(batch, 1)
    weights = [
        torch.tensor(w, dtype=torch.float32).reshape(layers[i], layers[i + 1]).requires_grad_()
        for i, w in enumerate(mlp["weights"])
    ]
    biases = [torch.tensor(b, dtype=torch.float32).requires_grad_() for b in mlp["biases"]]
    optimizer = torch.optim.Adam(weights + biases, lr=p["learningRate"])

    def step(read=False):
        optimizer.zero_grad(set_to_none=True)
        h = x
        for i, w in enumerate(weights):
            h = h @ w + biases[i]
            if i + 1 < len(weights):
                h = torch.relu(h)
        loss = ((h - y) ** 2).mean()
        loss.backward()
        optimizer.step()
        return loss.item() if read else None

    return step, optimizer


def torch_config(torch):
    shown = torch.__config__.show()
    cfg = {"show": shown, "numThreads": torch.get_num_threads(), "numInteropThreads": torch.get_num_interop_threads()}
    with contextlib.suppress(Exception):
        cfg["parallelInfo"] = torch.__config__.parallel_info()
    m = re.search(r"BLAS_INFO=([^,\s]+)", shown)
    if m:
        cfg["blasInfo"] = m.group(1)
    m = re.search(r"CPU capability usage: (\S+)", shown)
    if m:
        cfg["cpuCapability"] = m.group(1)
    cfg.update(environment_record())
    return cfg


def main():
    request = json.load(sys.stdin)
    out = {"available": False, "python": sys.executable, "pythonVersion": platform.python_version()}
    try:
        import torch
    except Exception as error:  # noqa: BLE001 - any import failure means "skip this peer"
        out["note"] = f"import torch failed: {error}"
        print(json.dumps(out))
        return
    if request.get("threads"):
        torch.set_num_threads(int(request["threads"]))
    out.update(available=True, version=torch.__version__, threads=torch.get_num_threads())
    out["config"] = torch_config(torch)
    checks = {}
    mlp_case = next((c for c in request["cases"] if c["params"]["kind"] == "mlp"), None)
    if mlp_case is not None:
        step, _ = make_mlp(torch, mlp_case["params"], request["mlp"])
        n = request.get("checkSteps", 300)
        first = step(True)
        for _ in range(n - 2):
            step()
        last = step(True)
        checks["mlpTrains"] = {"lossFirst": first, "lossLast": last, "steps": n}
    results = {}
    for case in request["cases"]:
        try:
            with torch.no_grad() if case["params"]["kind"] != "mlp" else contextlib.nullcontext():
                fn = prepare(torch, case, request)
                if fn is None:
                    results[case["id"]] = "not supported"
                    continue
                results[case["id"]] = measure(fn, request["options"])
        except Exception as error:  # noqa: BLE001 - report and go on with the next case
            results[case["id"]] = f"failed: {error}"
        sys.stderr.write(f"  torch {case['id']}\n")
        sys.stderr.flush()
    out["results"] = results
    out["checks"] = checks
    # Which BLAS actually ran (mapped once the products above have called it).
    libs = blas_libraries()
    out["config"].update(blasLibraries=libs, blasKind=blas_kind(libs), threadsAtEnd=torch.get_num_threads())
    print(json.dumps(out, allow_nan=True))


if __name__ == "__main__":
    main()
