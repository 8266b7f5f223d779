// A game whose players are the two blocks of one network's parameters: f(x, y) = loss(model((x, y),
// inputs)), x the first m parameters. Gradients come from the model's VJP and the second-order
// products from nn's block Hessian (the model's exact R-operator HVP), so nothing is differenced.
import { modelBlockHessian } from '../nn/mixed.js';
import type { Loss, Model } from '../nn/types.js';
import { checkFloat32, checkInteger, checkKnownKeys } from '../util/check.js';
import type { Equilibrium, Game } from './types.js';

/** How `fromModel` splits a network's parameters into the two players. */
export interface FromModelOptions {
  /** How many leading parameters belong to the min player x (1 ≤ m < model.size). */
  m: number;
  /** A known equilibrium, for distance diagnostics. */
  equilibrium?: Equilibrium;
}

/** min over the first m parameters, max over the rest, of loss(model(params, inputs)). */
export function fromModel(
  model: Model,
  loss: Loss,
  inputs: Float32Array,
  batch: number,
  options: FromModelOptions,
): Game {
  checkKnownKeys(options, ['m', 'equilibrium'], 'games.fromModel');
  const H = modelBlockHessian(model, loss, inputs, batch, options.m);
  checkInteger(batch, 'games.fromModel: batch', 1);
  checkFloat32(inputs, 'games.fromModel: inputs', batch * model.inputSize);
  loss.check(model.outputSize, batch);
  const { m, n } = H;
  const z = new Float32Array(m + n);
  const dy = new Float32Array(batch * model.outputSize);
  const join = (x: Float32Array, y: Float32Array, what: string): Float32Array => {
    checkFloat32(x, `games.fromModel.${what}: x`, m);
    checkFloat32(y, `games.fromModel.${what}: y`, n);
    z.set(x, 0);
    z.set(y, m);
    return z;
  };
  const eq = options.equilibrium;
  if (eq) {
    checkFloat32(eq.x, 'games.fromModel: equilibrium.x', m);
    checkFloat32(eq.y, 'games.fromModel: equilibrium.y', n);
  }
  const game: Game = {
    name: 'fromModel',
    m,
    n,
    value: (x, y) => loss.value(model.forward(join(x, y, 'value'), inputs, batch), batch),
    grad(x, y, gx, gy) {
      const p = join(x, y, 'grad');
      checkFloat32(gx, 'games.fromModel.grad: gx', m);
      checkFloat32(gy, 'games.fromModel.grad: gy', n);
      loss.grad(model.forward(p, inputs, batch), batch, dy);
      const g = model.vjp(p, inputs, batch, dy).params;
      gx.set(g.subarray(0, m));
      gy.set(g.subarray(m));
    },
    dxx: H.xx,
    dxy: H.xy,
    dyx: H.yx,
    dyy: H.yy,
  };
  return eq ? { ...game, equilibrium: { x: eq.x.slice(), y: eq.y.slice() } } : game;
}
