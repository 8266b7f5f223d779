// The actor-critic loss of the inner update, per head, as nn ParamLosses (value, gradient, exact
// Hessian-vector product and mixed η-derivatives w.r.t. the head's outputs). Over N rows:
//   actor:  (1/N) Σ_t [ −A_t log π(a_t|s_t) − c_e H(π(·|s_t)) ]       (logits y, A_t constant)
//   critic: (1/N) Σ_t c_v ½ (v(s_t) − g_t)²                            (values y, g_t constant)
// The update f = −α∇θ(actor + critic) is Xu et al.'s actor-critic update function (their b, c
// are c_v, c_e). η enters through g_t (A_t = g_t − v_t), c_e and c_v; each loss holds, per raw
// meta-parameter j, ∂A_t/∂x_j (= ∂g_t/∂x_j) and ∂c/∂x_j.
import type { ParamLoss } from '../../nn/param_loss.js';

function checkShape(name: string, want: number, outDim: number, rows: number, batch: number): void {
  if (outDim !== want || batch !== rows)
    throw new RangeError(`${name}: expected ${rows} rows of width ${want}, got ${batch} of width ${outDim}`);
}

/** Softmax of row i of y [batch × k] into p (float64); returns log-sum-exp. */
function softmaxRow(y: ArrayLike<number>, i: number, k: number, p: Float64Array): number {
  let m = -Infinity;
  for (let a = 0; a < k; a++) m = Math.max(m, y[i * k + a] as number);
  let s = 0;
  for (let a = 0; a < k; a++) {
    const e = Math.exp((y[i * k + a] as number) - m);
    p[a] = e;
    s += e;
  }
  for (let a = 0; a < k; a++) p[a] = (p[a] as number) / s;
  return m + Math.log(s);
}

/** Policy-gradient plus entropy loss over logits. */
export class ActorLoss implements ParamLoss {
  readonly name = 'metagrad.actor';
  readonly paramCount: number;
  private readonly p: Float64Array;
  private readonly q: Float64Array;
  constructor(
    private readonly actions: Int32Array,
    private readonly adv: Float64Array,
    private readonly k: number,
    private readonly ce: number,
    /** ∂A_t/∂x_j per meta-parameter j (rows as adv). */
    private readonly dAdv: readonly Float64Array[] = [],
    /** ∂c_e/∂x_j per meta-parameter j. */
    private readonly dCe: readonly number[] = [],
  ) {
    this.paramCount = dAdv.length;
    this.p = new Float64Array(k);
    this.q = new Float64Array(k);
  }
  check(outDim: number, batch: number): void {
    checkShape(this.name, this.k, outDim, this.actions.length, batch);
  }
  /** Fills p (softmax) and q_a = log p_a + H for row i; returns H. */
  private row(y: ArrayLike<number>, i: number): number {
    const { k, p, q } = this;
    const lse = softmaxRow(y, i, k, p);
    let h = 0;
    for (let a = 0; a < k; a++) {
      q[a] = (y[i * k + a] as number) - lse;
      h -= (p[a] as number) * (q[a] as number);
    }
    for (let a = 0; a < k; a++) q[a] = (q[a] as number) + h;
    return h;
  }
  value(y: ArrayLike<number>, batch: number): number {
    let s = 0;
    for (let i = 0; i < batch; i++) {
      const h = this.row(y, i);
      const a = this.actions[i] as number;
      s += -(this.adv[i] as number) * ((this.q[a] as number) - h) - this.ce * h;
    }
    return s / batch;
  }
  grad(y: Float32Array, batch: number, out: Float32Array): number {
    const { k, p, q } = this;
    let s = 0;
    for (let i = 0; i < batch; i++) {
      const h = this.row(y, i);
      const a = this.actions[i] as number;
      const A = this.adv[i] as number;
      s += -A * ((q[a] as number) - h) - this.ce * h;
      // −A(e_a − p) + c_e p ⊙ (log p + H)
      for (let c = 0; c < k; c++)
        out[i * k + c] =
          (A * (p[c] as number) - (c === a ? A : 0) + this.ce * (p[c] as number) * (q[c] as number)) / batch;
    }
    return s / batch;
  }
  hvp(y: Float32Array, batch: number, v: Float32Array, out: Float32Array): void {
    const { k, p, q } = this;
    for (let i = 0; i < batch; i++) {
      this.row(y, i);
      const A = this.adv[i] as number;
      let pu = 0;
      let s = 0;
      for (let c = 0; c < k; c++) {
        pu += (p[c] as number) * (v[i * k + c] as number);
        s += (p[c] as number) * (q[c] as number) * (v[i * k + c] as number);
      }
      // −A log p_a: A (p⊙u − p (p·u)); −c_e H: c_e p_j [(log p_j + H)(u_j − p·u) + u_j − p·u − s]
      for (let c = 0; c < k; c++) {
        const u = v[i * k + c] as number;
        const pc = p[c] as number;
        out[i * k + c] = (A * pc * (u - pu) + this.ce * pc * ((q[c] as number) * (u - pu) + u - pu - s)) / batch;
      }
    }
  }
  mixedDot(y: Float32Array, batch: number, ydot: Float32Array, out: Float64Array): void {
    const { k, p, q } = this;
    out.fill(0);
    for (let i = 0; i < batch; i++) {
      this.row(y, i);
      const a = this.actions[i] as number;
      let pd = 0;
      let qd = 0;
      for (let c = 0; c < k; c++) {
        pd += (p[c] as number) * (ydot[i * k + c] as number);
        qd += (p[c] as number) * (q[c] as number) * (ydot[i * k + c] as number);
      }
      const pg = pd - (ydot[i * k + a] as number); // (p − e_a)·ydot
      for (let j = 0; j < this.paramCount; j++)
        out[j] =
          (out[j] as number) +
          (((this.dAdv[j] as Float64Array)[i] as number) * pg + (this.dCe[j] as number) * qd) / batch;
    }
  }
  mixedTimes(y: Float32Array, batch: number, w: ArrayLike<number>, out: Float32Array): void {
    const { k, p, q } = this;
    let dce = 0;
    for (let j = 0; j < this.paramCount; j++) dce += (w[j] as number) * (this.dCe[j] as number);
    for (let i = 0; i < batch; i++) {
      this.row(y, i);
      const a = this.actions[i] as number;
      let dA = 0;
      for (let j = 0; j < this.paramCount; j++) dA += (w[j] as number) * ((this.dAdv[j] as Float64Array)[i] as number);
      for (let c = 0; c < k; c++)
        out[i * k + c] =
          (dA * ((p[c] as number) - (c === a ? 1 : 0)) + dce * (p[c] as number) * (q[c] as number)) / batch;
    }
  }
}

/** Squared TD-error loss c_v ½ (v − g)² / N over values. */
export class CriticLoss implements ParamLoss {
  readonly name = 'metagrad.critic';
  readonly paramCount: number;
  constructor(
    private readonly g: Float64Array,
    private readonly cv: number,
    /** ∂g_t/∂x_j per meta-parameter j. */
    private readonly dG: readonly Float64Array[] = [],
    /** ∂c_v/∂x_j per meta-parameter j. */
    private readonly dCv: readonly number[] = [],
  ) {
    this.paramCount = dG.length;
  }
  check(outDim: number, batch: number): void {
    checkShape(this.name, 1, outDim, this.g.length, batch);
  }
  value(y: ArrayLike<number>, batch: number): number {
    let s = 0;
    for (let i = 0; i < batch; i++) s += ((y[i] as number) - (this.g[i] as number)) ** 2;
    return (0.5 * this.cv * s) / batch;
  }
  grad(y: Float32Array, batch: number, out: Float32Array): number {
    for (let i = 0; i < batch; i++) out[i] = (this.cv * ((y[i] as number) - (this.g[i] as number))) / batch;
    return this.value(y, batch);
  }
  hvp(_y: Float32Array, batch: number, v: Float32Array, out: Float32Array): void {
    for (let i = 0; i < batch; i++) out[i] = (this.cv * (v[i] as number)) / batch;
  }
  mixedDot(y: Float32Array, batch: number, ydot: Float32Array, out: Float64Array): void {
    out.fill(0);
    for (let i = 0; i < batch; i++) {
      const e = (y[i] as number) - (this.g[i] as number);
      const d = ydot[i] as number;
      for (let j = 0; j < this.paramCount; j++)
        out[j] =
          (out[j] as number) +
          (((this.dCv[j] as number) * e - this.cv * ((this.dG[j] as Float64Array)[i] as number)) * d) / batch;
    }
  }
  mixedTimes(y: Float32Array, batch: number, w: ArrayLike<number>, out: Float32Array): void {
    let dcv = 0;
    for (let j = 0; j < this.paramCount; j++) dcv += (w[j] as number) * (this.dCv[j] as number);
    for (let i = 0; i < batch; i++) {
      let dg = 0;
      for (let j = 0; j < this.paramCount; j++) dg += (w[j] as number) * ((this.dG[j] as Float64Array)[i] as number);
      out[i] = (dcv * ((y[i] as number) - (this.g[i] as number)) - this.cv * dg) / batch;
    }
  }
}
