// Twin of native/core/meta/model.cc: one task's loss, gradient and Hessian-vector product of the
// MLP through the js nn kernels' tape passes, over reusable scratch.
import type { MetaLossKind } from '../../kernels/meta.js';
import { type MlpScalars, mlpParamCount, mlpTapeOutput, mlpTapeSize } from '../../kernels/nn.js';
import { mlpBackwardTape, mlpForwardTangentTape, mlpForwardTape, mlpHvpBackwardTape } from '../nn/mlp.js';
import { lossHessianVector, lossValueGrad, type Targets } from './loss.js';

export class TaskModel {
  readonly P: number;
  private readonly out: number;
  // Exact-size scratch per (rows, tangent): kernels check buffer lengths exactly.
  private readonly scratch = new Map<number, { tape: Float32Array; gy: Float32Array; hy: Float32Array }>();
  private readonly s: MlpScalars;

  constructor(
    private readonly sizes: Int32Array,
    private readonly hidden: number,
    private readonly output: number,
    private readonly lossKind: MetaLossKind,
  ) {
    this.P = mlpParamCount(sizes);
    this.out = sizes[sizes.length - 1] as number;
    this.s = { hidden, output, batch: 0 };
  }

  private buffers(rows: number, tangent: boolean): { tape: Float32Array; gy: Float32Array; hy: Float32Array } {
    const k = 2 * rows + (tangent ? 1 : 0);
    let b = this.scratch.get(k);
    if (!b) {
      b = {
        tape: new Float32Array(mlpTapeSize(this.sizes, rows, tangent)),
        gy: new Float32Array(rows * this.out),
        hy: new Float32Array(rows * this.out),
      };
      this.scratch.set(k, b);
    }
    return b;
  }

  /** Loss of params on rows of x; g (when not null) gets dL/dparams. */
  lossGrad(params: Float32Array, x: Float32Array, t: Targets, rows: number, g: Float32Array | null): number {
    if (rows === 0) {
      g?.fill(0);
      return 0;
    }
    const { tape, gy } = this.buffers(rows, false);
    mlpForwardTape(this.sizes, this.hidden, this.output, params, x, rows, tape);
    const yOff = mlpTapeOutput(this.sizes, rows, false);
    const value = lossValueGrad(this.lossKind, tape, yOff, t, rows, this.out, g ? gy : null);
    if (g) {
      this.s.batch = rows;
      mlpBackwardTape(this.sizes, params, x, tape, gy, g, null, this.s);
    }
    return value;
  }

  loss(params: Float32Array, x: Float32Array, t: Targets, rows: number): number {
    return this.lossGrad(params, x, t, rows, null);
  }

  /** hv = (d²L/dparams²) v at params. */
  hvp(params: Float32Array, x: Float32Array, t: Targets, rows: number, v: Float32Array, hv: Float32Array): void {
    const { tape, gy, hy } = this.buffers(rows, true);
    mlpForwardTangentTape(this.sizes, this.hidden, this.output, params, x, rows, v, tape);
    const yOff = mlpTapeOutput(this.sizes, rows, true);
    lossValueGrad(this.lossKind, tape, yOff, t, rows, this.out, gy);
    lossHessianVector(this.lossKind, tape, yOff, rows, this.out, tape, yOff + rows * this.out, hy);
    this.s.batch = rows;
    mlpHvpBackwardTape(this.sizes, params, x, v, tape, gy, hy, hv, null, this.s);
  }
}
