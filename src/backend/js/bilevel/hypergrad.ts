// Twin of native/core/bilevel/hypergrad.cc: the same sweep over the same four products per
// problem, math in double (Float64Array), w, trajectory and tangents stored as float32. It checks
// its arguments as native/napi/bilevel.cc does.
import type { BilevelKernels, CleaningScalars, SweepScalars } from '../../kernels/bilevel.js';

/** The products one sweep needs; prepare(w) caches what they share at a point. */
interface Products {
  readonly nw: number;
  readonly nl: number;
  prepare(w: Float32Array): void;
  grad(w: Float32Array, g: Float32Array, tmp: Float64Array): void;
  hvp(v: Float64Array, out: Float64Array): void;
  mixedVjp(v: Float64Array, out: Float64Array): void;
  mixedJvpUnit(j: number, out: Float64Array): void;
  outer(w: Float32Array, gw: Float64Array): number;
}

function ridgeProducts(
  xt: Float32Array,
  yt: Float32Array,
  xv: Float32Array,
  yv: Float32Array,
  d: number,
  lambda: Float32Array,
): Products {
  const n = yt.length;
  const m = yv.length;
  const el = Float64Array.from(lambda, (l) => Math.exp(l));
  const res = new Float64Array(Math.max(n, m));
  const xvv = new Float64Array(n);
  let wp: Float32Array = new Float32Array(d);
  const xtr = (x: Float32Array, r: Float64Array, rows: number, out: Float64Array): void => {
    out.fill(0);
    for (let i = 0; i < rows; i++) {
      const s = (2 * (r[i] as number)) / rows;
      for (let j = 0; j < d; j++) out[j] = (out[j] as number) + (x[i * d + j] as number) * s;
    }
  };
  const residuals = (x: Float32Array, y: Float32Array, rows: number, w: Float32Array): void => {
    for (let i = 0; i < rows; i++) {
      let s = -(y[i] as number);
      for (let j = 0; j < d; j++) s += (x[i * d + j] as number) * (w[j] as number);
      res[i] = s;
    }
  };
  return {
    nw: d,
    nl: d,
    prepare(w) {
      wp = w;
    },
    grad(w, g, tmp) {
      residuals(xt, yt, n, w);
      xtr(xt, res, n, tmp);
      for (let j = 0; j < d; j++) g[j] = (tmp[j] as number) + 2 * (el[j] as number) * (w[j] as number);
    },
    hvp(v, out) {
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += (xt[i * d + j] as number) * (v[j] as number);
        xvv[i] = s;
      }
      xtr(xt, xvv, n, out);
      for (let j = 0; j < d; j++) out[j] = (out[j] as number) + 2 * (el[j] as number) * (v[j] as number);
    },
    mixedVjp(v, out) {
      for (let j = 0; j < d; j++) out[j] = 2 * (el[j] as number) * (wp[j] as number) * (v[j] as number);
    },
    mixedJvpUnit(j, out) {
      out.fill(0);
      out[j] = 2 * (el[j] as number) * (wp[j] as number);
    },
    outer(w, gw) {
      residuals(xv, yv, m, w);
      let loss = 0;
      for (let i = 0; i < m; i++) loss += (res[i] as number) ** 2;
      xtr(xv, res, m, gw);
      return loss / m;
    },
  };
}

function cleaningProducts(
  xt: Float32Array,
  yt: Int32Array,
  xv: Float32Array,
  yv: Int32Array,
  d: number,
  k: number,
  l2: number,
  lambda: Float32Array,
): Products {
  const n = yt.length;
  const m = yv.length;
  const nw = (d + 1) * k;
  const sig = Float64Array.from(lambda, (l) => 1 / (1 + Math.exp(-l)));
  const sp = sig.map((s) => s * (1 - s));
  const P = new Float64Array(Math.max(n, m) * k);
  const jv = new Float64Array(n * k);
  const probs = (x: Float32Array, rows: number, w: Float32Array): void => {
    const b = d * k;
    for (let r = 0; r < rows; r++) {
      const o = r * k;
      for (let c = 0; c < k; c++) P[o + c] = w[b + c] as number;
      for (let i = 0; i < d; i++) {
        const xi = x[r * d + i] as number;
        for (let c = 0; c < k; c++) P[o + c] = (P[o + c] as number) + xi * (w[i * k + c] as number);
      }
      let mx = P[o] as number;
      for (let c = 1; c < k; c++) mx = Math.max(mx, P[o + c] as number);
      let s = 0;
      for (let c = 0; c < k; c++) {
        const e = Math.exp((P[o + c] as number) - mx);
        P[o + c] = e;
        s += e;
      }
      for (let c = 0; c < k; c++) P[o + c] = (P[o + c] as number) / s;
    }
  };
  const backprop = (u: Float64Array, out: Float64Array): void => {
    out.fill(0);
    const b = d * k;
    for (let r = 0; r < n; r++) {
      for (let i = 0; i < d; i++) {
        const xi = xt[r * d + i] as number;
        for (let c = 0; c < k; c++) out[i * k + c] = (out[i * k + c] as number) + xi * (u[r * k + c] as number);
      }
      for (let c = 0; c < k; c++) out[b + c] = (out[b + c] as number) + (u[r * k + c] as number);
    }
  };
  const forwardDir = (v: Float64Array): void => {
    const b = d * k;
    for (let r = 0; r < n; r++) {
      const o = r * k;
      for (let c = 0; c < k; c++) jv[o + c] = v[b + c] as number;
      for (let i = 0; i < d; i++) {
        const xi = xt[r * d + i] as number;
        for (let c = 0; c < k; c++) jv[o + c] = (jv[o + c] as number) + xi * (v[i * k + c] as number);
      }
    }
  };
  const onehot = (c: number, label: number): number => (c === label ? 1 : 0);
  const self: Products = {
    nw,
    nl: n,
    prepare(w) {
      probs(xt, n, w);
    },
    grad(w, g, tmp) {
      probs(xt, n, w);
      for (let r = 0; r < n; r++) {
        const s = (sig[r] as number) / n;
        for (let c = 0; c < k; c++) jv[r * k + c] = s * ((P[r * k + c] as number) - onehot(c, yt[r] as number));
      }
      backprop(jv, tmp);
      for (let i = 0; i < nw; i++) g[i] = (tmp[i] as number) + l2 * (w[i] as number);
    },
    hvp(v, out) {
      forwardDir(v);
      for (let r = 0; r < n; r++) {
        const o = r * k;
        let pv = 0;
        for (let c = 0; c < k; c++) pv += (P[o + c] as number) * (jv[o + c] as number);
        const s = (sig[r] as number) / n;
        for (let c = 0; c < k; c++) jv[o + c] = s * (P[o + c] as number) * ((jv[o + c] as number) - pv);
      }
      backprop(jv, out);
      for (let i = 0; i < nw; i++) out[i] = (out[i] as number) + l2 * (v[i] as number);
    },
    mixedVjp(v, out) {
      forwardDir(v);
      for (let r = 0; r < n; r++) {
        let dot = 0;
        for (let c = 0; c < k; c++)
          dot += ((P[r * k + c] as number) - onehot(c, yt[r] as number)) * (jv[r * k + c] as number);
        out[r] = ((sp[r] as number) * dot) / n;
      }
    },
    mixedJvpUnit(j, out) {
      out.fill(0);
      const s = (sp[j] as number) / n;
      for (let c = 0; c < k; c++) {
        const e = s * ((P[j * k + c] as number) - onehot(c, yt[j] as number));
        for (let i = 0; i < d; i++) out[i * k + c] = (xt[j * d + i] as number) * e;
        out[d * k + c] = e;
      }
    },
    outer(w, gw) {
      probs(xv, m, w);
      gw.fill(0);
      const b = d * k;
      let loss = 0;
      for (let r = 0; r < m; r++) {
        const label = yv[r] as number;
        loss -= Math.log(Math.max(P[r * k + label] as number, 1e-300));
        for (let c = 0; c < k; c++) {
          const e = ((P[r * k + c] as number) - onehot(c, label)) / m;
          for (let i = 0; i < d; i++) gw[i * k + c] = (gw[i * k + c] as number) + (xv[r * d + i] as number) * e;
          gw[b + c] = (gw[b + c] as number) + e;
        }
      }
      return loss / m;
    },
  };
  return self;
}

function sweep(p: Products, w: Float32Array, scratch: Float32Array, grad: Float32Array, s: SweepScalars): number {
  const { nw, nl } = p;
  const lr = Math.fround(s.lr);
  const g = new Float32Array(nw);
  const tmp = new Float64Array(nw);
  const a = new Float64Array(nw);
  const hv = new Float64Array(nw);
  const stepW = (): void => {
    p.grad(w, g, tmp);
    for (let i = 0; i < nw; i++) w[i] = (w[i] as number) - lr * (g[i] as number);
  };
  if (!s.forward) {
    for (let t = 0; t < s.steps; t++) {
      scratch.set(w, t * nw);
      stepW();
    }
    const value = p.outer(w, a);
    const lamBar = new Float64Array(nl);
    const lam = new Float64Array(nl);
    const gBar = new Float64Array(nw);
    for (let t = s.steps - 1; t >= 0; t--) {
      p.prepare(scratch.subarray(t * nw, (t + 1) * nw));
      for (let i = 0; i < nw; i++) gBar[i] = -lr * (a[i] as number);
      p.hvp(gBar, hv);
      for (let i = 0; i < nw; i++) a[i] = (a[i] as number) + (hv[i] as number);
      p.mixedVjp(gBar, lam);
      for (let j = 0; j < nl; j++) lamBar[j] = (lamBar[j] as number) + (lam[j] as number);
    }
    grad.set(lamBar);
    return value;
  }
  scratch.fill(0, 0, nl * nw);
  const z = new Float64Array(nw);
  for (let t = 0; t < s.steps; t++) {
    p.prepare(w);
    for (let j = 0; j < nl; j++) {
      const zj = scratch.subarray(j * nw, (j + 1) * nw);
      z.set(zj);
      p.mixedJvpUnit(j, tmp);
      p.hvp(z, hv);
      for (let i = 0; i < nw; i++) zj[i] = (z[i] as number) - lr * ((tmp[i] as number) + (hv[i] as number));
    }
    stepW();
  }
  const value = p.outer(w, a);
  for (let j = 0; j < nl; j++) {
    let acc = 0;
    for (let i = 0; i < nw; i++) acc += (a[i] as number) * (scratch[j * nw + i] as number);
    grad[j] = acc;
  }
  return value;
}

// ---- argument checks (native/napi/bilevel.cc's messages) ----

function f32(x: unknown, name: string): Float32Array {
  if (!(x instanceof Float32Array)) throw new TypeError(`${name}: expected a Float32Array`);
  return x;
}
function i32(x: unknown, name: string): Int32Array {
  if (!(x instanceof Int32Array)) throw new TypeError(`${name}: expected a Int32Array`);
  return x;
}
function len(a: { length: number }, want: number, name: string): void {
  if (a.length !== want) throw new RangeError(`${name}: expected length ${want}, got ${a.length}`);
}
function num(s: object, field: string): number {
  const v = (s as Record<string, unknown>)[field];
  if (typeof v !== 'number') throw new TypeError(`scalars.${field}: expected a number`);
  if (!Number.isFinite(v)) throw new RangeError(`scalars.${field}: expected a finite number, got ${v}`);
  return v;
}
function sweepOf(s: unknown): SweepScalars {
  if (typeof s !== 'object' || s === null || ArrayBuffer.isView(s) || Array.isArray(s))
    throw new TypeError('scalars: expected an object of named numbers');
  const steps = num(s, 'steps');
  if (steps < 1 || steps > 1e8 || !Number.isInteger(steps))
    throw new RangeError('scalars.steps: expected an integer in [1, 1e8]');
  const lr = num(s, 'lr');
  if (!(Math.fround(lr) > 0)) throw new RangeError('scalars.lr: expected a number > 0');
  const forward = (s as Record<string, unknown>).forward;
  if (typeof forward !== 'boolean') throw new TypeError('scalars.forward: expected a boolean');
  return { steps, lr, forward };
}
function shapes(xt: Float32Array, nt: number, xv: Float32Array, m: number): number {
  if (nt === 0) throw new RangeError('yTrain: expected at least one row');
  if (xt.length === 0 || xt.length % nt !== 0)
    throw new RangeError(`xTrain: expected length n·d with n = yTrain.length = ${nt}`);
  const d = xt.length / nt;
  if (m === 0) throw new RangeError('yVal: expected at least one row');
  len(xv, m * d, 'xVal');
  return d;
}
function checkScratch(scratch: Float32Array, s: SweepScalars, nw: number, nl: number): void {
  const need = s.forward ? nl * nw : s.steps * nw;
  if (scratch.length < need) throw new RangeError(`scratch: expected at least ${need} elements, got ${scratch.length}`);
}

export const bilevelRidgeHypergrad: BilevelKernels['bilevelRidgeHypergrad'] = (
  xTrain,
  yTrain,
  xVal,
  yVal,
  lambda,
  w,
  scratch,
  grad,
  scalars,
) => {
  const s = sweepOf(scalars);
  const xt = f32(xTrain, 'xTrain');
  const yt = f32(yTrain, 'yTrain');
  const xv = f32(xVal, 'xVal');
  const yv = f32(yVal, 'yVal');
  const d = shapes(xt, yt.length, xv, yv.length);
  len(f32(lambda, 'lambda'), d, 'lambda');
  len(f32(w, 'w'), d, 'w');
  f32(scratch, 'scratch');
  len(f32(grad, 'grad'), d, 'grad');
  checkScratch(scratch, s, d, d);
  return sweep(ridgeProducts(xt, yt, xv, yv, d, lambda), w, scratch, grad, s);
};

export const bilevelCleaningHypergrad: BilevelKernels['bilevelCleaningHypergrad'] = (
  xTrain,
  yTrain,
  xVal,
  yVal,
  lambda,
  w,
  scratch,
  grad,
  scalars,
) => {
  const s = sweepOf(scalars);
  const sc = scalars as CleaningScalars;
  const k = num(sc, 'classes');
  if (k < 2 || k > 1e6 || !Number.isInteger(k)) throw new RangeError('scalars.classes: expected an integer >= 2');
  const l2 = Math.fround(num(sc, 'l2'));
  if (!(l2 >= 0)) throw new RangeError('scalars.l2: expected a number >= 0');
  const xt = f32(xTrain, 'xTrain');
  const yt = i32(yTrain, 'yTrain');
  const xv = f32(xVal, 'xVal');
  const yv = i32(yVal, 'yVal');
  const d = shapes(xt, yt.length, xv, yv.length);
  for (const [ys, name] of [
    [yt, 'yTrain'],
    [yv, 'yVal'],
  ] as const)
    for (let i = 0; i < ys.length; i++)
      if ((ys[i] as number) < 0 || (ys[i] as number) >= k)
        throw new RangeError(`${name}[${i}]: expected a label in [0, ${k})`);
  const n = yt.length;
  const nw = (d + 1) * k;
  len(f32(lambda, 'lambda'), n, 'lambda');
  len(f32(w, 'w'), nw, 'w');
  f32(scratch, 'scratch');
  len(f32(grad, 'grad'), n, 'grad');
  checkScratch(scratch, s, nw, n);
  return sweep(cleaningProducts(xt, yt, xv, yv, d, k, l2, lambda), w, scratch, grad, { ...s, lr: s.lr });
};
