// Fitness functions a job can name, and running one job. A fitness is a built-in (policy
// rollouts on an env through the population rollout kernel) or an export of an ES module that the
// evaluating process imports. Both see each member with its own key from (seed, generation,
// member), so the values do not depend on how members were grouped into jobs or who ran them.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { MakeOptions } from '../envs/specs.js';
import { rolloutPopulation } from '../evo/rollout.js';
import type { ActivationName } from '../nn/types.js';
import type { Key } from '../random/index.js';
import { decodeFloat32, type FitnessRefData, type JobData } from './payload.js';
import { memberKey } from './seed.js';

/** What a module fitness receives beside the member: where it sits in the run, and its key. */
export interface EvalContext {
  readonly seed: number;
  readonly generation: number;
  readonly member: number;
  /** Philox key of this evaluation (`cluster.memberKey(seed, generation, member)`). */
  readonly key: Key;
}

/** A fitness exported by a module: `(x, member, ctx) => number` (sync or async). */
export type ModuleFitness = (x: Float32Array, member: number, ctx: EvalContext) => number | Promise<number>;

/** Options of the built-in `rollout` fitness: the member is a flat MLP policy; fitness = mean episode return. */
export interface RolloutFitnessOptions {
  env: string;
  envOptions?: Omit<MakeOptions, 'numEnvs' | 'seed'>;
  sizes: readonly number[];
  activation?: ActivationName;
  outputActivation?: ActivationName;
  envsPerMember?: number;
  maxSteps?: number;
  commonEnvSeeds?: boolean;
}

/**
 * A fitness a worker can evaluate: `{ builtin: 'rollout', options }`, or `{ module, export }` with
 * an absolute path (or file URL) valid on the evaluating machine; `export` defaults to 'default'.
 */
export type FitnessRef =
  | { readonly builtin: 'rollout'; readonly options: RolloutFitnessOptions }
  | { readonly module: string; readonly export?: string };

/** True when `f` is a fitness reference rather than a function. */
export function isFitnessRef(f: unknown): f is FitnessRef {
  return typeof f === 'object' && f !== null && ('module' in f || 'builtin' in f);
}

/** A module path as the file URL `import()` takes; relative paths are rejected (they mean different files on different machines). */
export function moduleUrl(module: string): string {
  if (module.startsWith('file:')) return module;
  if (!path.isAbsolute(module))
    throw new RangeError(`cluster: fitness.module: expected an absolute path or file URL, got '${module}'`);
  return pathToFileURL(module).href;
}

const loaded = new Map<string, Promise<ModuleFitness>>();

async function loadModuleFitness(module: string, name: string): Promise<ModuleFitness> {
  const url = moduleUrl(module);
  const id = `${url}#${name}`;
  let p = loaded.get(id);
  if (!p) {
    p = import(url).then((mod: Record<string, unknown>) => {
      const f = mod[name];
      if (typeof f !== 'function')
        throw new TypeError(`cluster: fitness: module '${module}' has no function export '${name}'`);
      return f as ModuleFitness;
    });
    loaded.set(id, p);
    p.catch(() => loaded.delete(id));
  }
  return p;
}

function rolloutFitness(o: RolloutFitnessOptions): ModuleFitness {
  // The async kernel runs off the event loop (native), so a worker keeps renewing its job locks.
  return async (x, _member, ctx) => {
    const r = await rolloutPopulation(Float32Array.from(x), { ...o, seed: ctx.key });
    return r.returns[0] as number;
  };
}

/** The function behind a fitness reference (module imports are cached per process). */
export async function resolveFitness(ref: FitnessRef | FitnessRefData): Promise<ModuleFitness> {
  if ('builtin' in ref) return rolloutFitness(ref.options as RolloutFitnessOptions);
  return loadModuleFitness(ref.module, ref.export ?? 'default');
}

/** Fitness values of a validated job's members, in member order. */
export async function runJob(job: JobData): Promise<Float64Array> {
  const f = await resolveFitness(job.fitness);
  const x = decodeFloat32(job.x);
  const out = new Float64Array(job.count);
  for (let i = 0; i < job.count; i++) {
    const member = job.start + i;
    const ctx: EvalContext = {
      seed: job.seed,
      generation: job.generation,
      member,
      key: memberKey(job.seed, job.generation, member),
    };
    const v = await f(x.subarray(i * job.dim, (i + 1) * job.dim), member, ctx);
    if (typeof v !== 'number')
      throw new TypeError(`cluster: fitness returned ${typeof v} for member ${member}; expected a number`);
    out[i] = v;
  }
  return out;
}
