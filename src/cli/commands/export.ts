// `outerloop export RUN_DIR --format onnx|safetensors|npz`: writes a trained policy in a format
// other tools read. ONNX carries the actor network with the run's observation normalization
// baked in (input: raw observations; output: logits, or Gaussian means, plus the value column for
// a shared network); safetensors and npz carry every parameter under its name (actor.*, critic.*,
// log_std) with the observation statistics as obs_norm.mean / obs_norm.var.
import * as path from 'node:path';
import { type Command, Option } from 'commander';
import { exportNpz } from '../../io/npy.js';
import { exportOnnx } from '../../io/onnx.js';
import { exportSafetensors } from '../../io/safetensors.js';
import type { ParamLayout, ParamSegment } from '../../nn/types.js';
import { Policy } from '../../rl/policy.js';
import { checkpointPath } from './eval.js';

const FORMATS = ['onnx', 'safetensors', 'npz'] as const;
type Format = (typeof FORMATS)[number];
const EXTENSION: Record<Format, string> = { onnx: 'onnx', safetensors: 'safetensors', npz: 'npz' };

interface ExportOptions {
  format: Format;
  out?: string;
}

/** A policy's parameters (and observation statistics) as one named flat vector. */
export function policyTensors(policy: Policy): { params: Float32Array; layout: ParamLayout } {
  const m = policy.model;
  const layout: ParamSegment[] = [];
  const parts: Float32Array[] = [];
  let offset = 0;
  const add = (name: string, shape: number[], values: ArrayLike<number>) => {
    layout.push({ name, shape, offset, size: values.length });
    parts.push(Float32Array.from(values));
    offset += values.length;
  };
  const net = (prefix: string, n: typeof m.actor) => {
    for (const s of n.mlp.layout)
      add(
        `${prefix}.${s.name}`,
        [...s.shape],
        policy.params.subarray(n.offset + s.offset, n.offset + s.offset + s.size),
      );
  };
  net(m.critic ? 'actor' : 'shared', m.actor);
  if (m.critic) net('critic', m.critic);
  if (m.logStdOffset >= 0) {
    const dim = policy.params.length - m.logStdOffset;
    add('log_std', [dim], policy.params.subarray(m.logStdOffset));
  }
  if (policy.obsRms) {
    add('obs_norm.mean', [policy.obsRms.dim], policy.obsRms.mean);
    add('obs_norm.var', [policy.obsRms.dim], policy.obsRms.var);
  }
  const params = new Float32Array(offset);
  parts.forEach((p, i) => {
    params.set(p, (layout[i] as ParamSegment).offset);
  });
  return { params, layout };
}

/** Exports the policy of a run folder (or checkpoint file) in `format`; returns the file written. */
export async function exportRun(dir: string, format: Format, out?: string): Promise<string> {
  const file = checkpointPath(dir);
  const policy = await Policy.load(file);
  const target = out ?? path.join(path.dirname(file), `policy.${EXTENSION[format]}`);
  if (format === 'onnx') {
    const a = policy.model.actor;
    const obsNorm = policy.obsRms
      ? { mean: policy.obsRms.mean, var: policy.obsRms.var, clip: policy.clipObs }
      : undefined;
    await exportOnnx(
      a.mlp,
      policy.params.subarray(a.offset, a.offset + a.mlp.size),
      target,
      obsNorm ? { obsNorm } : {},
    );
  } else {
    const { params, layout } = policyTensors(policy);
    if (format === 'safetensors')
      await exportSafetensors(params, layout, target, {
        metadata: { env: policy.info.env, algo: policy.info.algo, steps: String(policy.info.steps) },
      });
    else await exportNpz(params, layout, target);
  }
  return target;
}

export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description("write a run's policy as ONNX (actor with observation normalization), safetensors or npz")
    .argument('<dir>', 'run folder (or a checkpoint file)')
    .addOption(new Option('--format <format>', 'file format').choices([...FORMATS]).makeOptionMandatory())
    .option('--out <file>', 'output file (default: policy.<format> in the run folder)')
    .action(async (dir: string, o: ExportOptions) => {
      const target = await exportRun(dir, o.format, o.out);
      process.stdout.write(`${target}\n`);
    });
}
