// The mixture-of-Gaussians GAN result of issue 20: modes covered over training for GDA,
// extragradient and CGD on games.gan (the minimax GAN, Goodfellow et al. 2014, eq. 1).
//
//   nice -n 10 npx tsx examples/games_gan_mixture.ts [--seeds 5] [--steps 8000] [--every 1000]
//                                                    [--dim 2] [--lrs 0.2,0.5] [--cg-iters 8] [--json]
//
// Game: 8 modes on a ring of radius 0.75 (1-D: 4 modes on [−0.75, 0.75]), σ = 0.04; generator
// [4, 32, 32, dim] and discriminator [dim, 32, 32, 1] tanh MLPs; one fixed batch of 256 real and
// 256 latent samples per seed (the seed also draws both networks' initial parameters).
// Mode coverage (the unrolled-GAN / VEEGAN convention): draw 2000 fresh generator samples; a
// sample is "high quality" when it lies within 3σ of a mode centre, and a mode is covered when at
// least 1/(4K) of all samples (a quarter of its fair share) lie within 3σ of it.
// Each method runs every step size in --lrs on every seed; the table reports, per method, the
// step size with the most modes covered at the last step (mean over seeds), and the whole grid.

import type { GameMethod } from '../src/games/index.js';
import { games } from '../src/index.js';

const args = process.argv.slice(2);
const opt = (name: string, d: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? String(args[i + 1]) : d;
};
const seeds = Number(opt('seeds', '5'));
const steps = Number(opt('steps', '8000'));
const every = Number(opt('every', '1000'));
const dim = Number(opt('dim', '2')) as 1 | 2;
const lrs = opt('lrs', '0.2,0.5').split(',').map(Number);
const cgIters = Number(opt('cg-iters', '8'));
const asJson = args.includes('--json');
const methods: GameMethod[] = ['gda', 'extragradient', 'cgd'];

interface Curve {
  method: GameMethod;
  lr: number;
  seed: number;
  covered: number[];
  quality: number[];
}

function run(method: GameMethod, lr: number, seed: number): Curve {
  const g = games.gan({ dim, seed });
  let { x, y } = g.init(seed);
  const covered: number[] = [];
  const quality: number[] = [];
  const c0 = g.coverage(x, { seed: 1000 + seed });
  covered.push(c0.covered);
  quality.push(c0.quality);
  for (let t = 0; t < steps; t += every) {
    const r = games.solve(g, { method, lr, steps: every, x0: x, y0: y, every, cgIters });
    x = r.x;
    y = r.y;
    const c = g.coverage(x, { seed: 1000 + seed });
    covered.push(c.covered);
    quality.push(c.quality);
  }
  return { method, lr, seed, covered, quality };
}

const stats = (v: number[]): string => {
  const n = v.length;
  const mean = v.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, n - 1));
  return `${mean.toFixed(2)} ± ${((1.96 * sd) / Math.sqrt(n)).toFixed(2)}`;
};

const curves: Curve[] = [];
for (const method of methods)
  for (const lr of lrs)
    for (let seed = 0; seed < seeds; seed++) {
      curves.push(run(method, lr, seed));
      if (!asJson) process.stderr.write(`${method} lr=${lr} seed=${seed}: ${curves.at(-1)?.covered.join(' ')}\n`);
    }

if (asJson) console.log(JSON.stringify({ dim, steps, every, lrs, cgIters, curves }));
else {
  const K = dim === 2 ? 8 : 4;
  console.log(`${dim}-D mixture, K = ${K} modes, ${seeds} seeds, ${steps} steps; modes covered (mean ± 95% CI)`);
  const marks = Array.from({ length: steps / every + 1 }, (_, i) => i * every);
  console.log(`method         lr   | ${marks.map((s) => String(s).padStart(11)).join(' ')} | quality@end`);
  for (const method of methods)
    for (const lr of lrs) {
      const cs = curves.filter((c) => c.method === method && c.lr === lr);
      const cols = marks.map((_, i) => stats(cs.map((c) => c.covered[i] as number)).padStart(11));
      const q = stats(cs.map((c) => c.quality.at(-1) as number));
      console.log(`${method.padEnd(14)} ${String(lr).padEnd(4)} | ${cols.join(' ')} | ${q}`);
    }
}
