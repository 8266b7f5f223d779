// The registries the CLI is derived from: every trainer hyperparameter, learner option and strategy
// setting has its flag (kebab-case of the key) that parses its own default back; the meta command's
// defaults are the library's (checked by behaviour: a run with the CLI's values equals one with the
// option left out); and the one flag-parser module rejects what it should.
import type { Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import {
  kebab,
  parseBoolean,
  parseChoice,
  parseInteger,
  parseIntegers,
  parseNumber,
  showValue,
} from '../src/cli/flags.js';
import { buildProgram } from '../src/cli/main.js';
import { sphere } from '../src/evo/functions.js';
import { optimize, type StrategyName } from '../src/evo/optimize.js';
import { EVO_STRATEGIES } from '../src/evo/registry.js';
import { truncatedNormalInit } from '../src/meta/init.js';
import { META_LEARNERS, type MetaLearnerName } from '../src/meta/registry.js';
import { sine } from '../src/meta/tasks/index.js';
import { adam } from '../src/optim/index.js';
import { key } from '../src/random/index.js';
import { A2C_KEYS, PPO_KEYS, RUNTIME_KEYS } from '../src/rl/config.js';
import { TRAINERS, type TrainerName } from '../src/rl/trainers.js';

const command = (name: string): Command => {
  const c = buildProgram().commands.find((x) => x.name() === name);
  if (!c) throw new Error(`no ${name} command`);
  return c;
};
const optionOf = (c: Command, key: string): Option | undefined => c.options.find((o) => o.attributeName() === key);
/** What commander hands the action for `--flag text`. */
const parse = (o: Option, text: string): unknown => (o.parseArg ? o.parseArg(text, undefined) : text);

describe('trainer registry', () => {
  const train = command('train');
  const names = Object.keys(TRAINERS) as TrainerName[];

  it('every hyperparameter of every trainer has a train flag that parses its defaults back', () => {
    for (const name of names) {
      const t = TRAINERS[name];
      for (const key of Object.keys(t.options)) {
        const opt = optionOf(train, key);
        expect(opt?.long, `${name}.${key}`).toBe(`--${kebab(key)}`);
        for (const continuous of [false, true]) {
          const d = t.defaults(continuous)[key];
          expect(parse(opt as Option, showValue(d)), `${name}.${key}`).toEqual(d);
        }
      }
    }
  });

  it('the key lists are the option tables plus env and the runtime options; defaults cover every key and resolve', () => {
    expect(PPO_KEYS).toEqual(['env', ...Object.keys(TRAINERS.ppo.options), ...RUNTIME_KEYS]);
    expect(A2C_KEYS).toEqual(['env', ...Object.keys(TRAINERS.a2c.options), ...RUNTIME_KEYS]);
    for (const name of names) {
      const t = TRAINERS[name];
      for (const [env, continuous] of [
        ['CartPole-v1', false],
        ['Pendulum-v1', true],
      ] as const) {
        const d = t.defaults(continuous);
        expect(Object.keys(d).sort(), name).toEqual(Object.keys(t.options).sort());
        expect(t.resolve({ env }), `${name} ${env}`).toEqual({ ...d, env });
      }
    }
  });

  it('a hyperparameter several trainers share has one spec (one flag fits all)', () => {
    for (const a of names)
      for (const b of names)
        for (const [key, spec] of Object.entries(TRAINERS[a].options)) {
          const other = TRAINERS[b].options[key];
          if (other) expect(other, `${a}/${b}.${key}`).toEqual(spec);
        }
  });

  it('resolve checks against the table: out of range, wrong kind and unknown keys are refused', () => {
    expect(() => TRAINERS.a2c.resolve({ env: 'CartPole-v1', numEnvs: 0 })).toThrow(/rl.a2c.train: numEnvs/);
    expect(() => TRAINERS.ppo.resolve({ env: 'CartPole-v1', activation: 'gelu' as 'relu' })).toThrow(RangeError);
    expect(() => TRAINERS.ppo.resolve({ env: 'CartPole-v1', hidden: [] })).toThrow(/hidden/);
    expect(() => TRAINERS.ppo.resolve({ env: 'CartPole-v1', targetKl: null })).not.toThrow();
    expect(() => TRAINERS.ppo.resolve({ env: 'CartPole-v1', rmsDecay: 0.9 })).toThrow(/unknown option 'rmsDecay'/);
  });
});

describe('meta-learner registry', () => {
  const meta = command('meta');
  const names = Object.keys(META_LEARNERS) as MetaLearnerName[];
  const tiny = { sizes: [1, 8, 1], activation: 'relu' as const };
  const tasks = sine();
  const init = truncatedNormalInit(tiny.sizes, key(3), 0.5);
  const defaultOf = (k: string): unknown => optionOf(meta, k)?.defaultValue;

  it('every learner option has a meta flag', () => {
    for (const name of names)
      for (const k of Object.keys(META_LEARNERS[name].options))
        expect(optionOf(meta, k)?.long, `${name}.${k}`).toBe(`--${kebab(k)}`);
  });

  it("each learner's inner steps are the library's default (iMAML 10)", async () => {
    expect(META_LEARNERS.imaml.innerSteps).toBe(10);
    const run = (name: MetaLearnerName, innerSteps?: number) =>
      META_LEARNERS[name]
        .create({ model: tiny, ...(innerSteps === undefined ? {} : { innerSteps }) })
        .train({ tasks, iterations: 2, metaBatch: 2, shots: 5, seed: 1, init });
    for (const name of names) {
      const steps = META_LEARNERS[name].innerSteps;
      expect(await run(name, steps), name).toEqual(await run(name));
      // The comparison notices a wrong count (pretrain takes no inner steps while training).
      if (name !== 'pretrain') expect(await run(name, steps + 1), name).not.toEqual(await run(name));
    }
  });

  it("the meta command's defaults are the library's", async () => {
    const innerLr = defaultOf('innerLr') as number;
    const metaLr = defaultOf('metaLr') as number;
    const cliRun = maml({
      innerLr,
      optimizer: adam({ lr: metaLr }),
      metaBatch: defaultOf('metaBatch') as number,
      shots: defaultOf('shots') as number,
      seed: defaultOf('seed') as number,
    });
    const libraryRun = maml({});
    expect(await cliRun).toEqual(await libraryRun);
    const learner = META_LEARNERS.maml.create({ model: tiny });
    expect(learner.innerLrs()).toEqual(Float32Array.of(innerLr));
    const count = defaultOf('evalTasks') as number;
    expect(learner.evaluate(init, { tasks, count, steps: 1, seed: 2 }).mean).toEqual(
      learner.evaluate(init, { tasks, steps: 1, seed: 2 }).mean,
    );

    async function maml(o: {
      innerLr?: number;
      optimizer?: ReturnType<typeof adam>;
      metaBatch?: number;
      shots?: number;
      seed?: number;
    }): Promise<Float32Array> {
      const { metaBatch, shots, seed, ...options } = o;
      return META_LEARNERS.maml
        .create({ model: tiny, ...options })
        .train({ tasks, iterations: 3, init, ...(metaBatch ? { metaBatch, shots, seed } : {}) });
    }
  });
});

describe('evo strategy registry', () => {
  const evo = command('evo');
  const names = Object.keys(EVO_STRATEGIES) as StrategyName[];

  it('every strategy setting has an evo flag', () => {
    for (const name of names)
      for (const k of Object.keys(EVO_STRATEGIES[name].options))
        expect(optionOf(evo, k)?.long, `${name}.${k}`).toBe(`--${kebab(k)}`);
  });

  it("each entry's factory is the strategy optimize runs under that name", async () => {
    for (const name of names) {
      const o = { x0: [1, -2, 0.5], generations: 3, seed: 4 };
      const byName = await optimize(sphere, { strategy: name, ...o });
      const byEntry = await optimize(sphere, { strategy: EVO_STRATEGIES[name].create({}), ...o });
      expect(byEntry.history, name).toEqual(byName.history);
    }
  });
});

describe('flag parsers', () => {
  it('integers', () => {
    const p = parseInteger('--n', 1, 10);
    expect(p('3')).toBe(3);
    for (const bad of ['', ' ', '1.5', 'x', '0', '11', '1e400'])
      expect(() => p(bad), bad).toThrow(/--n: expected an integer in \[1, 10\]/);
    expect(() => parseInteger('--seed', 0)('-1')).toThrow(/--seed: expected an integer >= 0, got '-1'/);
  });

  it('numbers, with none for a nullable one', () => {
    expect(parseNumber('--lr')('2.5e-4')).toBe(2.5e-4);
    for (const bad of ['', 'NaN', 'Infinity', 'abc']) expect(() => parseNumber('--lr')(bad), bad).toThrow(/--lr/);
    expect(() => parseNumber('--gamma', 0, 1)('1.5')).toThrow(/in \[0, 1\]/);
    expect(parseNumber('--target-kl', 0, 1, true)('none')).toBeNull();
    expect(() => parseNumber('--lr')('none')).toThrow(/--lr/);
  });

  it('booleans, enums and lists', () => {
    expect(parseBoolean('--b')('true')).toBe(true);
    expect(parseBoolean('--b')('0')).toBe(false);
    expect(() => parseBoolean('--b')('yes')).toThrow(/--b: expected true or false/);
    expect(parseChoice('--c', ['a', 'b'])('b')).toBe('b');
    expect(() => parseChoice('--c', ['a', 'b'])('z')).toThrow(/--c: expected one of a, b/);
    expect(parseIntegers('--hidden', 1)('64,32')).toEqual([64, 32]);
    for (const bad of ['', '64,', '0', '1.5,2', 'a'])
      expect(() => parseIntegers('--hidden', 1)(bad), bad).toThrow(/--hidden/);
  });

  it('kebab-case flags from camelCase keys', () => {
    expect(kebab('numMinibatches')).toBe('num-minibatches');
    expect(kebab('lr')).toBe('lr');
  });
});
