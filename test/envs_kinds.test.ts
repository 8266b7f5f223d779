// One list of environment kinds: ENV_KINDS (src/backend/kernels/envs.ts) gives each id its kernel
// kind number, and nothing may disagree with it: the C++ list (native/core/envs/kinds.h, read as
// text here), the js twins (each names its id), the specs (config[0] and the spaces), and the dims
// both backends report. Also checks that every env file of either language is in its list.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { opsOf } from '../src/backend/js/envs/env.js';
import * as twins from '../src/backend/js/envs/kinds.js';
import { ENV_KINDS } from '../src/backend/kernels/envs.js';
import * as envs from '../src/envs/index.js';
import { spaceDim } from '../src/envs/spaces.js';
import { backends } from './helpers/backends.js';

const root = new URL('../', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8');
const coreDir = 'native/core/envs/';
const twinDir = 'src/backend/js/envs/';

/** The X(name, "id") rows of kinds.h, in order. */
function nativeKinds(): { name: string; id: string }[] {
  const list = read(`${coreDir}kinds.h`).split('#define OL_ENV_KINDS(X)')[1] ?? '';
  return [...list.matchAll(/X\((\w+),\s*"([^"]+)"\)/g)].map((m) => ({ name: m[1]!, id: m[2]! }));
}

// Files of each folder that are not an environment (the batch API, shared helpers, glue).
const NOT_ENVS = new Set(['env', 'ops', 'kinds', 'fmath', 'stream', 'envs', 'envs_args', 'envs_bound', 'index']);
const envFiles = (dir: string, ext: string): string[] =>
  readdirSync(new URL(dir, root))
    .filter((f) => f.endsWith(ext) && !NOT_ENVS.has(f.slice(0, -ext.length)))
    .map((f) => f.slice(0, -ext.length))
    .sort();

describe('environment kinds', () => {
  it('kinds.h lists the ids of ENV_KINDS in the same order', () => {
    expect(nativeKinds().map((k) => k.id)).toEqual([...ENV_KINDS]);
  });

  it('every native env file defines the EnvOps of listed kinds, and every listed kind is defined once', () => {
    const defined: string[] = [];
    for (const file of envFiles(coreDir, '.cc')) {
      const names = [...read(`${coreDir}${file}.cc`).matchAll(/^const EnvOps (\w+)Ops\{/gm)].map((m) => m[1]!);
      expect(names.length, `${file}.cc defines no EnvOps`).toBeGreaterThan(0);
      defined.push(...names);
    }
    expect(defined.sort()).toEqual(
      nativeKinds()
        .map((k) => k.name)
        .sort(),
    );
  });

  it('every js twin file mirrors a native env file and is listed in kinds.ts', () => {
    expect(envFiles(twinDir, '.ts')).toEqual(envFiles(coreDir, '.cc'));
    const listed = read(`${twinDir}kinds.ts`);
    for (const file of envFiles(twinDir, '.ts')) expect(listed, `${file}.ts`).toContain(`from './${file}.js'`);
  });

  it('each kind number reaches the js twin of that id, and every twin has its own id', () => {
    const ids = Object.values(twins).map((t) => t.id);
    expect([...ids].sort()).toEqual([...ENV_KINDS].sort());
    ENV_KINDS.forEach((id, kind) => {
      expect(opsOf({ kind, maxSteps: 1, p0: 0, p1: 0 }).id).toBe(id);
    });
  });

  it('specs cover exactly ENV_KINDS and put each id at its position in config[0]', () => {
    expect(envs.list()).toEqual([...ENV_KINDS]);
    ENV_KINDS.forEach((id, kind) => {
      expect(envs.spec(id).config[0], id).toBe(kind);
    });
  });
});

// Option sets that change the dims (the defaults are covered by list()).
const VARIANTS: [string, envs.MakeOptions][] = [
  ...ENV_KINDS.map((id): [string, envs.MakeOptions] => [id, {}]),
  ['Bandit-v0', { arms: 3 }],
  ['TabularMDP-v0', { states: 4, actions: 7 }],
  ['PointRobot-v0', { dense: true }],
];

describe.each(backends)('spec spaces agree with the kernel dims (%s backend)', (_name, b) => {
  it.each(VARIANTS)('%s %o', (id, options) => {
    const spec = envs.spec(id, options);
    const d = new Int32Array(5);
    b.envDims(spec.config, d);
    const [, obs, action, task, discrete] = d as unknown as number[];
    expect(spaceDim(spec.observationSpace)).toBe(obs);
    expect(spec.observationSpace.low.length).toBe(obs);
    if (spec.actionSpace.type === 'discrete') {
      expect(discrete).toBe(spec.actionSpace.n);
      expect(action).toBe(1);
    } else {
      expect(discrete).toBe(0);
      expect(spaceDim(spec.actionSpace)).toBe(action);
    }
    expect(spec.taskDim).toBe(task);
  });
});
