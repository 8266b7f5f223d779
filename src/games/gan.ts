// A small GAN as a two-player zero-sum game over flat parameters (Goodfellow et al. 2014, the
// minimax form): min over the generator x, max over the discriminator y of
//   f(x, y) = mean_i log σ(D_y(r_i)) + mean_j log(1 − σ(D_y(G_x(z_j)))),
// on a fixed batch of real samples r from a mixture of Gaussians (a ring in 2-D, a line in 1-D)
// and a fixed batch of latent noise z, so f is one deterministic function every solver can query.
//
// Exact second-order products without new derivative code: the fake term D_y(G_x(z)) is itself
// one MLP over the joint vector (x, y), the generator's layers followed by the discriminator's,
// because the generator's output activation is the shared hidden activation (tanh; the data lie in
// (−1, 1)). Its R-operator HVP gives the joint Hessian of the fake term, the discriminator's HVP
// on the real batch adds the y-block, and nn's blockHessian reads D²ₓᵧf·v and the others off it.
import { blockHessian } from '../nn/mixed.js';
import { mlp } from '../nn/mlp.js';
import type { Loss, Mlp } from '../nn/types.js';
import * as random from '../random/index.js';
import { checkFloat32, checkInteger, checkKnownKeys, checkRange } from '../util/check.js';
import type { Game } from './types.js';

/** The mixture-of-Gaussians data, network sizes and fixed batch of the GAN game. */
export interface GanOptions {
  /** Data dimension: 2 (modes on a ring, default) or 1 (modes evenly spaced on a line). */
  dim?: 1 | 2;
  /** Number of mixture modes K (default 8 in 2-D, 4 in 1-D). */
  modes?: number;
  /** Ring radius (2-D) or half-span of the modes (1-D), in (0, 1) (default 0.75). */
  radius?: number;
  /** Standard deviation σ of each mode (default 0.04). */
  std?: number;
  /** Latent dimension of the generator's Gaussian noise (default 4). */
  latent?: number;
  /** Hidden widths of both networks (default [32, 32]). */
  hidden?: readonly number[];
  /** Real and latent samples in the fixed batch (default 256 each). */
  batch?: number;
  /** Seed of the fixed real and latent batches (default 0). */
  seed?: number;
}

/** Mode coverage of a generator's samples (`GanGame.coverage`). */
export interface Coverage {
  /** Modes whose share of samples within 3σ is at least `minShare`. */
  covered: number;
  /** Fraction of samples within 3σ of any mode ("high-quality" samples). */
  quality: number;
  /** Per mode: the fraction of all samples within 3σ of it. */
  shares: Float64Array;
}

/** How `coverage` samples the generator and when a mode counts as covered. */
export interface CoverageOptions {
  /** Generator samples to draw (default 2000). */
  samples?: number;
  /** Seed of the latent noise (default 1). */
  seed?: number;
  /** A mode counts as covered when this fraction of samples lies within 3σ of it (default 1/(4K)). */
  minShare?: number;
}

/** The GAN game; x are the generator's parameters, y the discriminator's. */
export interface GanGame extends Game {
  readonly dim: number;
  readonly latent: number;
  /** The generator MLP [latent, …hidden, dim] (tanh hidden and output). */
  readonly generator: Mlp;
  /** The discriminator MLP [dim, …hidden, 1] (tanh hidden, a logit out). */
  readonly discriminator: Mlp;
  /** Mode centres, K × dim row-major. */
  readonly centers: Float32Array;
  readonly std: number;
  /** The fixed real batch, batch × dim. */
  readonly real: Float32Array;
  /** The fixed latent batch, batch × latent. */
  readonly noise: Float32Array;
  /** The network D(G(z)) over the joint vector (x, y), [latent, …hidden, dim, …hidden, 1]. */
  readonly joint: Mlp;
  /** Fresh parameters of both players (the networks' default initializers), deterministic in the seed. */
  init(seed: number): { x: Float32Array; y: Float32Array };
  /** `count` generator samples (count × dim) from fresh latent noise of the given seed. */
  sample(x: Float32Array, count: number, seed: number): Float32Array;
  /** How many modes the generator covers (see Coverage). */
  coverage(x: Float32Array, options?: CoverageOptions): Coverage;
}

const softplus = (a: number): number => (a > 0 ? a + Math.log1p(Math.exp(-a)) : Math.log1p(Math.exp(a)));
const sigmoid = (a: number): number => 1 / (1 + Math.exp(-a));

// mean_j −softplus(s·d_j) over logits d: s = +1 gives log(1 − σ(d)) (the fake term), s = −1 gives
// log σ(d) (the real term); both have the same curvature −σ(d)σ(−d).
function logSigmoidLoss(sign: 1 | -1, name: string): Loss {
  return {
    name,
    check(outDim) {
      if (outDim !== 1) throw new RangeError(`${name}: expected a 1-output discriminator, got ${outDim}`);
    },
    value(d, batch) {
      let s = 0;
      for (let j = 0; j < batch; j++) s -= softplus(sign * (d[j] as number));
      return s / batch;
    },
    grad(d, batch, out) {
      let s = 0;
      for (let j = 0; j < batch; j++) {
        const a = sign * (d[j] as number);
        s -= softplus(a);
        out[j] = (-sign * sigmoid(a)) / batch; // d/dd −softplus(s·d) = −s·σ(s·d)
      }
      return s / batch;
    },
    hvp(d, batch, v, out) {
      for (let j = 0; j < batch; j++) {
        const p = sigmoid(d[j] as number);
        out[j] = (-p * (1 - p) * (v[j] as number)) / batch; // −σ(a)σ(−a), the same for both signs
      }
    },
  };
}

function checkDim(dim: unknown): asserts dim is 1 | 2 {
  if (dim !== 1 && dim !== 2) throw new RangeError(`games.gan: dim: expected 1 or 2, got ${String(dim)}`);
}

/** The minimax GAN game on a mixture of Gaussians (see the file header for f). */
export function gan(options: GanOptions = {}): GanGame {
  checkKnownKeys(options, ['dim', 'modes', 'radius', 'std', 'latent', 'hidden', 'batch', 'seed'], 'games.gan');
  const dim = options.dim ?? 2;
  checkDim(dim);
  const K = options.modes ?? (dim === 2 ? 8 : 4);
  checkInteger(K, 'games.gan: modes', 1, 1024);
  const radius = options.radius ?? 0.75;
  checkRange(radius, 'games.gan: radius', Number.MIN_VALUE, 1);
  const std = options.std ?? 0.04;
  checkRange(std, 'games.gan: std', Number.MIN_VALUE, 1);
  const latent = options.latent ?? 4;
  checkInteger(latent, 'games.gan: latent', 1, 4096);
  const hidden = options.hidden ?? [32, 32];
  if (!Array.isArray(hidden) || hidden.length < 1)
    throw new TypeError('games.gan: hidden: expected a non-empty array of widths');
  for (let i = 0; i < hidden.length; i++) checkInteger(hidden[i], `games.gan: hidden[${i}]`, 1, 4096);
  const B = options.batch ?? 256;
  checkInteger(B, 'games.gan: batch', 1, 1 << 20);
  const seed = options.seed ?? 0;
  checkInteger(seed, 'games.gan: seed', 0, 2 ** 32 - 1);

  const generator = mlp({ sizes: [latent, ...hidden, dim], activation: 'tanh', outputActivation: 'tanh' });
  const discriminator = mlp({ sizes: [dim, ...hidden, 1], activation: 'tanh' });
  // D(G(z)) as one network over (x, y): same layers, same order, so its parameters are (x, y).
  const joint = mlp({ sizes: [latent, ...hidden, dim, ...hidden, 1], activation: 'tanh' });
  const m = generator.size;
  const n = discriminator.size;

  const centers = new Float32Array(K * dim);
  for (let k = 0; k < K; k++) {
    if (dim === 2) {
      centers[2 * k] = radius * Math.cos((2 * Math.PI * k) / K);
      centers[2 * k + 1] = radius * Math.sin((2 * Math.PI * k) / K);
    } else centers[k] = K === 1 ? 0 : -radius + (2 * radius * k) / (K - 1);
  }
  const [kData, kPick, kLatent] = random.split(random.key(seed), 3) as [random.Key, random.Key, random.Key];
  const noise = random.normal(kData, B * dim);
  const pick = random.uniform(kPick, B);
  const real = new Float32Array(B * dim);
  for (let i = 0; i < B; i++) {
    const k = Math.min(K - 1, Math.floor((pick[i] as number) * K));
    for (let d = 0; d < dim; d++)
      real[i * dim + d] = (centers[k * dim + d] as number) + std * (noise[i * dim + d] as number);
  }
  const zs = random.normal(kLatent, B * latent);
  const fake = logSigmoidLoss(1, 'gan.fake');
  const realLoss = logSigmoidLoss(-1, 'gan.real');

  const z = new Float32Array(m + n);
  const join = (x: Float32Array, y: Float32Array, what: string): Float32Array => {
    checkFloat32(x, `games.gan.${what}: x (the generator has m = ${m} parameters)`, m);
    checkFloat32(y, `games.gan.${what}: y (the discriminator has n = ${n} parameters)`, n);
    z.set(x, 0);
    z.set(y, m);
    return z;
  };
  const gJoint = new Float32Array(m + n);
  const gD = new Float32Array(n);
  // Exact Hessian of f over (x, y): the joint network's on the fake batch, plus the
  // discriminator's on the real batch in the y block.
  const H = blockHessian(
    (zz, v) => {
      const h = joint.hvp(zz, zs, B, fake, v);
      const hy = discriminator.hvp(zz.subarray(m), real, B, realLoss, v.subarray(m));
      for (let i = 0; i < n; i++) h[m + i] = (h[m + i] as number) + (hy[i] as number);
      return h;
    },
    m,
    n,
  );

  const game: GanGame = {
    name: 'gan',
    m,
    n,
    dim,
    latent,
    generator,
    discriminator,
    centers,
    std,
    real,
    noise: zs,
    joint,
    value(x, y) {
      const p = join(x, y, 'value');
      return fake.value(joint.forward(p, zs, B), B) + realLoss.value(discriminator.forward(p.subarray(m), real, B), B);
    },
    grad(x, y, gx, gy) {
      const p = join(x, y, 'grad');
      checkFloat32(gx, 'games.gan.grad: gx', m);
      checkFloat32(gy, 'games.gan.grad: gy', n);
      joint.gradInto(p, zs, B, fake, gJoint);
      discriminator.gradInto(p.subarray(m), real, B, realLoss, gD);
      gx.set(gJoint.subarray(0, m));
      for (let i = 0; i < n; i++) gy[i] = (gJoint[m + i] as number) + (gD[i] as number);
    },
    dxx: H.xx,
    dxy: H.xy,
    dyx: H.yx,
    dyy: H.yy,
    init(s) {
      checkInteger(s, 'games.gan.init: seed', 0, 2 ** 32 - 1);
      const [kg, kd] = random.split(random.key(s), 2) as [random.Key, random.Key];
      return { x: generator.init(kg), y: discriminator.init(kd) };
    },
    sample(x, count, s) {
      checkFloat32(x, `games.gan.sample: x (the generator has m = ${m} parameters)`, m);
      checkInteger(count, 'games.gan.sample: count', 1, 1 << 24);
      checkInteger(s, 'games.gan.sample: seed', 0, 2 ** 32 - 1);
      return generator.forward(x, random.normal(random.key(s), count * latent), count);
    },
    coverage(x, opts = {}) {
      checkKnownKeys(opts, ['samples', 'seed', 'minShare'], 'games.gan.coverage');
      const S = opts.samples ?? 2000;
      const minShare = opts.minShare ?? 1 / (4 * K);
      checkRange(minShare, 'games.gan.coverage: minShare', 0, 1);
      const pts = game.sample(x, S, opts.seed ?? 1);
      return coverageOf(pts, S, dim, centers, K, std, minShare);
    },
  };
  return game;
}

/** Mode coverage of `count` points (count × dim) against K centres of spread σ (3σ balls). */
export function coverageOf(
  pts: Float32Array,
  count: number,
  dim: number,
  centers: Float32Array,
  K: number,
  std: number,
  minShare: number,
): Coverage {
  const shares = new Float64Array(K);
  const r2 = (3 * std) ** 2;
  let good = 0;
  for (let i = 0; i < count; i++) {
    let best = -1;
    let bestD = Number.POSITIVE_INFINITY;
    for (let k = 0; k < K; k++) {
      let d2 = 0;
      for (let d = 0; d < dim; d++) d2 += ((pts[i * dim + d] as number) - (centers[k * dim + d] as number)) ** 2;
      if (d2 < bestD) {
        bestD = d2;
        best = k;
      }
    }
    if (bestD <= r2) {
      good++;
      shares[best] = (shares[best] as number) + 1 / count;
    }
  }
  let covered = 0;
  for (let k = 0; k < K; k++) if ((shares[k] as number) >= minShare && (shares[k] as number) > 0) covered++;
  return { covered, quality: good / count, shares };
}
