// metaRl.metaGradient as a user meets it: argument errors name the argument, a run is a function
// of its seed, the trained policy (η folded into the first-layer biases when the agent is
// η-conditioned) acts exactly like the conditioned network and evaluates with rl.evaluate, and
// a short Catch run learns (return above the random policy's −0.6).
import { describe, expect, it } from 'vitest';
import { metaRl, rl } from '../src/index.js';
import { AgentNets } from '../src/metarl/metagrad/nets.js';
import * as random from '../src/random/index.js';
import { backends, useBackendForSuite } from './helpers/backends.js';

describe('metaRl.metaGradient arguments', () => {
  it('rejects unknown, repeated or missing meta-parameter names with the name in the message', () => {
    expect(() => metaRl.metaGradient({ env: 'Catch-v0', meta: ['gamma', 'discount' as 'gamma'] })).toThrow(RangeError);
    expect(() => metaRl.metaGradient({ env: 'Catch-v0', meta: ['gamma', 'discount' as 'gamma'] })).toThrow(
      /meta\[1\]: unknown meta-parameter 'discount' \(known: gamma, lambda, entropy, value, lr\)/,
    );
    expect(() => metaRl.metaGradient({ env: 'Catch-v0', meta: ['gamma', 'gamma'] })).toThrow(
      /meta\[1\]: 'gamma' listed twice/,
    );
    expect(() => metaRl.metaGradient({ env: 'Catch-v0', meta: [] })).toThrow(/meta: expected at least one/);
    expect(() => metaRl.metaGradient({ env: 'Catch-v0', meta: 'gamma' as unknown as ['gamma'] })).toThrow(TypeError);
  });

  it('rejects bad options, ranges and combinations', () => {
    const ok = { env: 'Catch-v0', meta: ['gamma'] as ['gamma'] };
    expect(() => metaRl.metaGradient({ ...ok, init: { gamma: 1.2 } })).toThrow(
      /init\.gamma: expected a number in \(0, 1\)/,
    );
    expect(() => metaRl.metaGradient({ ...ok, trace: 1.5 })).toThrow(/trace: expected μ in \[0, 1\]/);
    expect(() => metaRl.metaGradient({ ...ok, trace: 0, innerSteps: 2 })).toThrow(/trace: needs innerSteps 1/);
    expect(() => metaRl.metaGradient({ ...ok, bmg: { steps: 1, match: 'l1' as 'l2' } })).toThrow(/bmg\.match/);
    expect(() => metaRl.metaGradient({ ...ok, env: 'Pendulum-v1' })).toThrow(/discrete actions/);
    expect(() => metaRl.metaGradient({ ...ok, env: 'Nope-v0' })).toThrow(/unknown environment/);
    expect(() => metaRl.metaGradient({ ...ok, numSteps: 0 })).toThrow(/numSteps/);
    expect(() => metaRl.metaGradient({ ...ok, innerSteps: 2, mixing: [1] })).toThrow(/mixing: expected 2 weights/);
    expect(() => metaRl.metaGradient({ ...ok, colour: 1 } as never)).toThrow(/colour/);
  });
});

describe.each(backends)('metaRl.metaGradient training (%s backend)', (name) => {
  useBackendForSuite(name);

  it('is a function of its seed', async () => {
    const run = () =>
      metaRl
        .metaGradient({
          env: 'Catch-v0',
          meta: ['gamma', 'lambda', 'entropy'],
          hidden: [16],
          numEnvs: 4,
          innerSteps: 2,
        })
        .train({ totalSteps: 1600, seed: 5 });
    const a = await run();
    const b = await run();
    expect(a.history.length).toBeGreaterThan(10);
    // everything but the wall-clock seconds
    const bare = (h: typeof a.history) => h.map(({ seconds: _, ...rest }) => rest);
    expect(bare(b.history)).toEqual(bare(a.history));
    expect(b.policy.params).toEqual(a.policy.params);
    const c = await metaRl
      .metaGradient({ env: 'Catch-v0', meta: ['gamma', 'lambda', 'entropy'], hidden: [16], numEnvs: 4, innerSteps: 2 })
      .train({ totalSteps: 1600, seed: 6 });
    expect(c.policy.params).not.toEqual(a.policy.params);
  });

  it('an η-conditioned agent exports a policy that equals its network at the final η', () => {
    const nets = new AgentNets(50, 3, [8], 2);
    const theta = nets.init(random.key(1));
    const noise = random.normal(random.key(2), nets.size);
    for (let i = 0; i < theta.length; i++) theta[i] = theta[i]! + 0.3 * noise[i]!;
    const cond = [0.93, 0.4];
    const policy = nets.toPolicy(theta, cond, { env: 'Catch-v0', algo: 'metagrad', steps: 0 });
    const obs = random.uniform(random.key(3), 5 * 50);
    const x = nets.inputs(obs, 5, cond);
    const v = nets.critic.forward(nets.criticParams(theta), x, 5);
    const got = policy.value(obs);
    for (let i = 0; i < 5; i++) expect(got[i]).toBeCloseTo(v[i]!, 5);
    const logits = nets.actor.forward(nets.actorParams(theta), x, 5);
    const greedy = policy.act(obs, { deterministic: true });
    for (let i = 0; i < 5; i++) {
      const row = logits.subarray(3 * i, 3 * i + 3);
      expect(greedy[i]).toBe(row.indexOf(Math.max(...row)));
    }
  });

  it('learns Catch with meta-learned γ, λ (BMG, KL matching) and evaluates with rl.evaluate', async () => {
    const r = await metaRl
      .metaGradient({
        env: 'Catch-v0',
        meta: ['gamma', 'lambda'],
        hidden: [32],
        condition: true,
        bmg: { steps: 1, match: 'kl' },
        metaLr: 1e-2,
      })
      .train({ totalSteps: 16000, seed: 1 });
    const last = r.history[r.history.length - 1]!;
    expect(last.meta.gamma).not.toBe(0.99);
    expect(last.meta.gamma! > 0 && last.meta.gamma! < 1).toBe(true);
    const ev = await rl.evaluate(r.policy, { episodes: 200, seed: 3 });
    // a uniformly random policy scores −0.6; a learning agent is well above it after 16k steps
    expect(ev.meanReturn).toBeGreaterThan(0);
    expect(r.policy.info.algo).toBe('metagrad');
  });
});
