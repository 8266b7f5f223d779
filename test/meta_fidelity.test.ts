// MAML fidelity (issue 19): our second-order meta-gradient on sine (Finn's 1-40-40-1 ReLU, K = 10,
// 1 inner step at 0.01) against the PyTorch reference scripts/reference/maml_sine_torch.py in
// float64 and float32, at the same θ on the same batch. Ours must sit as close to torch-float64
// as torch-float32 does (float32 rounding); the first-order gradient (FOMAML) — a plausible wrong
// variant — must not. Skipped when /usr/bin/python3 cannot import torch (apt-get install python3-torch).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { meta } from '../src/index.js';
import { metaKernels } from '../src/meta/kernels.js';
import { fold, key } from '../src/random/index.js';

const PY = '/usr/bin/python3';
const probe = spawnSync(PY, ['-c', 'import torch, numpy'], { encoding: 'utf8' });
const skip = probe.error !== undefined || probe.status !== 0;
if (skip) console.warn(`meta_fidelity: skipped: ${PY} cannot import torch and numpy`);

const sizes = [1, 40, 40, 1];
const B = 5;
const K = 10;

describe.skipIf(skip)('MAML second-order meta-gradient vs PyTorch (same θ, same batch)', () => {
  it('matches torch float64 as closely as torch float32 does; FOMAML does not', () => {
    const dir = mkdtempSync(join(tmpdir(), 'maml-fid-'));
    try {
      // A trained-looking θ: Finn's init plus a perturbation, so ReLU patterns and curvature are not trivial.
      const theta = meta.truncatedNormalInit(sizes, key(3), 0.01).map((v, i) => v + 0.3 * Math.sin(0.37 * i));
      const P = theta.length;
      const b = meta.tasks.sine().sample(fold(key(5), 1), B, K, K);
      const grads = new Float32Array(2 * P);
      const base = {
        hidden: 2,
        output: 0,
        loss: 'mse' as const,
        steps: 1,
        lambda: 0,
        tasks: B,
        supportRows: K,
        queryRows: K,
        cgSteps: 0,
      };
      const probeL = meta.maml({ model: { sizes, activation: 'relu' } }) as unknown as {
        hidden: number;
        output: number;
      };
      base.hidden = probeL.hidden;
      base.output = probeL.output;
      const k = metaKernels();
      (['secondOrder', 'firstOrder'] as const).forEach((mode, r) => {
        const g = grads.subarray(r * P, (r + 1) * P);
        k.metaGradBatch(
          Int32Array.from(sizes),
          theta,
          new Float32Array([0.01]),
          b.supportX,
          b.supportY,
          b.queryX,
          b.queryY,
          g,
          null,
          null,
          null,
          { ...base, mode },
        );
      });
      // Two "iterations" on the same batch and θ: row 0 holds our MAML gradient, row 1 FOMAML's.
      const stream = new Float32Array(2 * 4 * B * K);
      for (let it = 0; it < 2; it++) {
        const s = it * 4 * B * K;
        stream.set(b.supportX, s);
        stream.set(b.supportY as Float32Array, s + B * K);
        stream.set(b.queryX, s + 2 * B * K);
        stream.set(b.queryY as Float32Array, s + 3 * B * K);
      }
      const params = new Float32Array(3 * P);
      params.set(theta, 0);
      params.set(theta, P);
      params.set(theta, 2 * P);
      const f32 = (name: string, a: Float32Array) =>
        writeFileSync(join(dir, name), Buffer.from(a.buffer, a.byteOffset, a.byteLength));
      f32('init.f32', theta);
      f32('stream.f32', stream);
      f32('ours_loss.f32', new Float32Array(4));
      f32('ours_grad.f32', grads);
      f32('ours_params.f32', params);
      const info = {
        iterations: 2,
        metaBatch: B,
        shots: K,
        P,
        innerLr: 0.01,
        metaLr: 1e-3,
        sizes,
        checkpoints: [0, 1, 2],
      };
      writeFileSync(join(dir, 'meta.json'), JSON.stringify(info));
      const out = spawnSync(PY, ['scripts/reference/maml_sine_torch.py', dir, '--gradient-only'], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(out.status, out.stderr).toBe(0);
      const rows = out.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { ours_vs_torch64: number; torch32_vs_torch64: number });
      const [maml, fomaml] = rows as [(typeof rows)[0], (typeof rows)[0]];
      expect(maml.ours_vs_torch64).toBeLessThan(1e-6);
      expect(maml.ours_vs_torch64).toBeLessThan(10 * maml.torch32_vs_torch64 + 1e-7);
      expect(fomaml.ours_vs_torch64).toBeGreaterThan(1e-2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
