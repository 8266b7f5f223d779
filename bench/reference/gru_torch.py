"""PyTorch's nn.GRU (or nn.LSTM) forward and forward + BPTT on one core: the reference rows of
bench/recurrent.bench.ts (same shapes, time-major, float32, gradient of sum(dhs * hs)).

Prints one JSON line {"torch": version, "fwd_ms", "fwdbwd_ms", "fwd_cpu_ms", "fwdbwd_cpu_ms"}
(per-repeat wall and process CPU times). Usage: python3 gru_torch.py BATCH STEPS HIDDEN INPUT REPEATS [gru|lstm]
"""
import json
import sys
import time

import torch


def main() -> None:
    batch, steps, hidden, inp, repeats = (int(a) for a in sys.argv[1:6])
    torch.set_num_threads(1)
    torch.manual_seed(0)
    cell = sys.argv[6] if len(sys.argv) > 6 else "gru"
    # time-major [steps, batch, input], like outerloop's kernels
    gru = torch.nn.LSTM(inp, hidden) if cell == "lstm" else torch.nn.GRU(inp, hidden)
    xs = torch.randn(steps, batch, inp)
    h0 = torch.zeros(1, batch, hidden)
    if cell == "lstm":
        h0 = (h0, torch.zeros(1, batch, hidden))
    dhs = torch.randn(steps, batch, hidden)
    out = {"fwd_ms": [], "fwdbwd_ms": [], "fwd_cpu_ms": [], "fwdbwd_cpu_ms": []}
    for r in range(repeats + 1):  # the first run warms up
        w0, c0 = time.perf_counter(), time.process_time()
        with torch.no_grad():
            gru(xs, h0)
        w1, c1 = time.perf_counter(), time.process_time()
        gru.zero_grad()
        x = xs.clone().requires_grad_(True)
        hs, _ = gru(x, h0)
        hs.backward(dhs)
        w2, c2 = time.perf_counter(), time.process_time()
        if r > 0:
            out["fwd_ms"].append((w1 - w0) * 1e3)
            out["fwdbwd_ms"].append((w2 - w1) * 1e3)
            out["fwd_cpu_ms"].append((c1 - c0) * 1e3)
            out["fwdbwd_cpu_ms"].append((c2 - c1) * 1e3)
    print(json.dumps({"torch": torch.__version__, **out}))


if __name__ == "__main__":
    main()
