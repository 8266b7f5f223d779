#!/usr/bin/env python3
"""PyTorch reference for MAML fidelity (issue 19): second-order MAML on sine from the init and on
the task stream that examples/maml_fidelity.ts exported, written from Finn et al. 2017 (and the
functional style of learn2learn/higher): per task theta' = theta - alpha * grad L_support(theta)
with create_graph=True, meta-loss = mean over tasks of L_query(theta'), torch.optim.Adam(1e-3).
Layout as outerloop's nn.mlp: dense{l}.w [in x out] row-major, then dense{l}.b.

    /usr/bin/python3 scripts/reference/maml_sine_torch.py DIR [--dtypes float32,float64] [--gradient-only]

Prints, as JSON lines:
  gradient: at each checkpoint, OUR theta on that iteration's batch: our meta-gradient vs torch
            float32 and torch float64 (teacher forcing: same point, so only arithmetic differs);
  run:      free-running torch trajectories (float32 and float64) vs ours: per-iteration loss
            differences, parameter distance at the checkpoints;
  eval:     the final theta of each run on the 100 exported held-out tasks, 0/1/10 SGD steps at
            0.01, evaluated in float64 (one judge for all).
Not a dependency of the package: a test-side/script-side reference only.
"""
import json
import os
import sys
import time

import numpy as np
import torch

torch.set_num_threads(1)
D = sys.argv[1]
dtypes = ['float32', 'float64']
if '--dtypes' in sys.argv:
    dtypes = sys.argv[sys.argv.index('--dtypes') + 1].split(',')
info = json.load(open(os.path.join(D, 'meta.json')))
N, B, K, P = info['iterations'], info['metaBatch'], info['shots'], info['P']
alpha, meta_lr, sizes = info['innerLr'], info['metaLr'], info['sizes']
ck = info['checkpoints']
f32 = lambda name: np.fromfile(os.path.join(D, name), dtype='<f4')
init = f32('init.f32')
stream = f32('stream.f32').reshape(N, 4, B, K)
ev = f32('eval.f32').reshape(100, 2 * K + 200) if os.path.exists(os.path.join(D, 'eval.f32')) else None
ours_loss = f32('ours_loss.f32').reshape(N, 2)
ours_grad = f32('ours_grad.f32').reshape(len(ck) - 1, P)
ours_params = f32('ours_params.f32').reshape(len(ck), P)


def unpack(theta):
    """Per-layer (W [.., in, out], b [.., out]) views of a flat [..., P] parameter tensor."""
    out, off = [], 0
    for a, b in zip(sizes[:-1], sizes[1:]):
        W = theta[..., off:off + a * b].reshape(*theta.shape[:-1], a, b)
        off += a * b
        bb = theta[..., off:off + b]
        off += b
        out.append((W, bb))
    return out


def forward(theta, x):
    """theta [T, P], x [T, rows, 1] -> [T, rows, 1]: ReLU hidden layers, identity output."""
    h = x
    layers = unpack(theta)
    for l, (W, b) in enumerate(layers):
        h = torch.bmm(h, W) + b.unsqueeze(1)
        if l < len(layers) - 1:
            h = torch.relu(h)
    return h


def task_mse(theta, x, y):
    return ((forward(theta, x) - y) ** 2).mean(dim=(1, 2))  # [T]


def meta_grad(theta, batch, dtype):
    """(meta-gradient [P], mean pre loss, mean post loss) at theta (leaf) on one batch."""
    sx, sy, qx, qy = (torch.tensor(batch[i], dtype=dtype).unsqueeze(-1) for i in range(4))
    rep = theta.unsqueeze(0).repeat(B, 1)
    ls = task_mse(rep, sx, sy)
    g, = torch.autograd.grad(ls.sum(), rep, create_graph=True)
    adapted = rep - alpha * g
    lq = task_mse(adapted, qx, qy).mean()
    mg, = torch.autograd.grad(lq, theta)
    with torch.no_grad():
        pre = task_mse(rep, qx, qy).mean().item()
    return mg, pre, lq.item()


def rel(a, b):
    return float(np.linalg.norm(np.asarray(a, np.float64) - np.asarray(b, np.float64)) / np.linalg.norm(np.asarray(b, np.float64)))


# 1. Teacher forcing: the gradient at OUR theta, on the same batch.
for c, it in enumerate(ck[:-1]):
    row = {'kind': 'gradient', 'iteration': it}
    grads = {}
    for name in ['float32', 'float64']:
        dtype = getattr(torch, name)
        th = torch.tensor(ours_params[c], dtype=dtype, requires_grad=True)
        grads[name] = meta_grad(th, stream[it], dtype)[0].detach().numpy()
    row['ours_vs_torch64'] = rel(ours_grad[c], grads['float64'])
    row['torch32_vs_torch64'] = rel(grads['float32'], grads['float64'])
    row['ours_vs_torch32'] = rel(ours_grad[c], grads['float32'])
    print(json.dumps(row), flush=True)
if '--gradient-only' in sys.argv:
    sys.exit(0)


def evaluate(theta_np):
    """Mean query MSE over the 100 held-out tasks after 0, 1, 10 SGD steps (float64)."""
    th = torch.tensor(theta_np, dtype=torch.float64).unsqueeze(0).repeat(100, 1)
    sx = torch.tensor(ev[:, :K], dtype=torch.float64).unsqueeze(-1)
    sy = torch.tensor(ev[:, K:2 * K], dtype=torch.float64).unsqueeze(-1)
    qx = torch.tensor(ev[:, 2 * K:2 * K + 100], dtype=torch.float64).unsqueeze(-1)
    qy = torch.tensor(ev[:, 2 * K + 100:], dtype=torch.float64).unsqueeze(-1)
    res = {}
    for step in range(11):
        if step in (0, 1, 10):
            with torch.no_grad():
                l = task_mse(th, qx, qy)
            res[step] = [float(l.mean()), float(l.median()), int((~torch.isfinite(l)).sum())]
        th = th.detach().requires_grad_(True)
        g, = torch.autograd.grad(task_mse(th, sx, sy).sum(), th)
        th = th - alpha * g
    return res


# 2. Free-running torch trajectories from the same init on the same stream.
finals = {'ours': ours_params[-1]}
for name in dtypes:
    dtype = getattr(torch, name)
    theta = torch.tensor(init, dtype=dtype, requires_grad=True)
    opt = torch.optim.Adam([theta], lr=meta_lr)
    post = np.zeros(N)
    first = {}
    t0 = time.time()
    for it in range(N):
        if it in ck:
            c = ck.index(it)
            d = rel(theta.detach().numpy(), ours_params[c])
            print(json.dumps({'kind': 'run', 'dtype': name, 'iteration': it, 'param_rel_dist': d,
                              'post_torch': float(post[it - 1]) if it else None,
                              'post_ours': float(ours_loss[it - 1, 1]) if it else None}), flush=True)
        mg, pre, lq = meta_grad(theta, stream[it], dtype)
        post[it] = lq
        dl = abs(lq - ours_loss[it, 1]) / max(abs(ours_loss[it, 1]), 1e-12)
        for thr in (1e-6, 1e-4, 1e-2, 1e-1):
            if dl > thr and thr not in first:
                first[thr] = it
        opt.zero_grad()
        theta.grad = mg
        opt.step()
    final = theta.detach().numpy().astype(np.float32)
    finals[name] = final
    w = 500
    print(json.dumps({'kind': 'run_summary', 'dtype': name, 'seconds': round(time.time() - t0, 1),
                      'first_iteration_post_loss_rel_diff_above': {str(k): v for k, v in first.items()},
                      'final_param_rel_dist': rel(final, ours_params[-1]),
                      f'mean_post_last{w}_torch': float(post[-w:].mean()),
                      f'mean_post_last{w}_ours': float(ours_loss[-w:, 1].mean())}), flush=True)
    np.asarray(final, '<f4').tofile(os.path.join(D, f'torch_{name}_final.f32'))

# 3. One judge for every final theta.
for name, th in finals.items():
    print(json.dumps({'kind': 'eval', 'run': name, 'eval100_mean_median_nonfinite': evaluate(th)}), flush=True)
