// Twin of native/core/meta/model.cc: one task's loss, gradient and Hessian-vector product of the
// MLP through the nn kernels' tape passes, over reusable scratch.
import { type NnKernels, mlpParamCount, mlpTapeOutput, mlpTapeSize } from '../../kernels/nn.js';
import { type Targets, lossHessianVector, lossValueGrad } from './loss.js';

export class TaskModel {
  readonly P: number;
  private readonly out: number;
  private tape = new Float32Array(0);
  private gy = new Float32Array(0);
  private hy = new Float32Array(0);

  constructor(
    private readonly nn: NnKernels,
    private readonly sizes: Int32Array,
    private readonly hidden: number,
    private readonly output: number,
    private readonly lossCode: number,
  ) {
    this.P = mlpParamCount(sizes);
    this.out = sizes[sizes.length - 1] as number;
  }

  private reserve(rows: number, tangent: boolean): void {
    const n = mlpTapeSize(this.sizes, rows, tangent);
    if (this.tape.length < n) this.tape = new Float32Array(n);
    if (this.gy.length < rows * this.out) {
      this.gy = new Float32Array(rows * this.out);
      this.hy = new Float32Array(rows * this.out);
    }
  }

  /** Loss of params on rows of x; g (when not null) gets dL/dparams. */
  lossGrad(params: Float32Array, x: Float32Array, t: Targets, rows: number, g: Float32Array | null): number {
    this.reserve(rows, false);
    this.nn.mlpForwardTape(this.sizes, this.hidden, this.output, params, x, rows, this.tape);
    const yOff = mlpTapeOutput(this.sizes, rows, false);
    const value = lossValueGrad(this.lossCode, this.tape, yOff, t, rows, this.out, g ? this.gy : null);
    if (g) this.nn.mlpBackwardTape(this.sizes, this.hidden, this.output, params, x, rows, this.tape, this.gy, g, null);
    return value;
  }

  loss(params: Float32Array, x: Float32Array, t: Targets, rows: number): number {
    return this.lossGrad(params, x, t, rows, null);
  }

  /** hv = (d²L/dparams²) v at params. */
  hvp(params: Float32Array, x: Float32Array, t: Targets, rows: number, v: Float32Array, hv: Float32Array): void {
    this.reserve(rows, true);
    this.nn.mlpForwardTangentTape(this.sizes, this.hidden, this.output, params, x, rows, v, this.tape);
    const yOff = mlpTapeOutput(this.sizes, rows, true);
    lossValueGrad(this.lossCode, this.tape, yOff, t, rows, this.out, this.gy);
    lossHessianVector(this.lossCode, this.tape, yOff, rows, this.out, this.tape, yOff + rows * this.out, this.hy);
    this.nn.mlpHvpBackwardTape(this.sizes, this.hidden, this.output, params, x, rows, v, this.tape, this.gy, this.hy, hv, null);
  }
}
