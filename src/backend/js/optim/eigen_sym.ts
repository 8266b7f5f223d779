// Twin of native/core/optim/eigen_sym.cc: symmetric eigendecomposition (tred2 + tql2 after JAMA,
// public domain) and Shampoo's block products, float64, the same operations in the same order
// (so the two agree to the last bit except where pow() differs).
import type { OptimKernels } from '../../kernels/optim.js';

// sqrt(a² + b²) without overflow, computed as the C++ does (not Math.hypot).
function hyp(a: number, b: number): number {
  let x = Math.abs(a);
  let y = Math.abs(b);
  if (x < y) [x, y] = [y, x];
  if (x === 0) return 0;
  const r = y / x;
  return x * Math.sqrt(1 + r * r);
}

// Householder reduction: V (in: A) becomes the orthogonal transform, d the diagonal, e the
// subdiagonal.
function tred2(V: Float64Array, n: number, d: Float64Array, e: Float64Array): void {
  for (let j = 0; j < n; j++) d[j] = V[(n - 1) * n + j] as number;
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k] as number);
    if (scale === 0) {
      e[i] = d[i - 1] as number;
      for (let j = 0; j < i; j++) {
        d[j] = V[(i - 1) * n + j] as number;
        V[i * n + j] = 0;
        V[j * n + i] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] = (d[k] as number) / scale;
        h += (d[k] as number) * (d[k] as number);
      }
      let f = d[i - 1] as number;
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h = h - f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j] as number;
        V[j * n + i] = f;
        g = (e[j] as number) + (V[j * n + j] as number) * f;
        for (let k = j + 1; k <= i - 1; k++) {
          const vkj = V[k * n + j] as number;
          g += vkj * (d[k] as number);
          e[k] = (e[k] as number) + vkj * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] = (e[j] as number) / h;
        f += (e[j] as number) * (d[j] as number);
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] = (e[j] as number) - hh * (d[j] as number);
      for (let j = 0; j < i; j++) {
        f = d[j] as number;
        g = e[j] as number;
        for (let k = j; k <= i - 1; k++)
          V[k * n + j] = (V[k * n + j] as number) - (f * (e[k] as number) + g * (d[k] as number));
        d[j] = V[(i - 1) * n + j] as number;
        V[i * n + j] = 0;
      }
    }
    d[i] = h;
  }
  for (let i = 0; i + 1 < n; i++) {
    V[(n - 1) * n + i] = V[i * n + i] as number;
    V[i * n + i] = 1;
    const h = d[i + 1] as number;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = (V[k * n + i + 1] as number) / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += (V[k * n + i + 1] as number) * (V[k * n + j] as number);
        for (let k = 0; k <= i; k++) V[k * n + j] = (V[k * n + j] as number) - g * (d[k] as number);
      }
    }
    for (let k = 0; k <= i; k++) V[k * n + i + 1] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = V[(n - 1) * n + j] as number;
    V[(n - 1) * n + j] = 0;
  }
  V[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

// Implicit QL on (d, e); Z (rows = vectors) accumulates the rotations.
function tql2(Z: Float64Array, n: number, d: Float64Array, e: Float64Array): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i] as number;
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l] as number) + Math.abs(e[l] as number));
    let m = l;
    while (m < n - 1 && !(Math.abs(e[m] as number) <= eps * tst1)) m++;
    if (m > l) {
      for (let iter = 0; iter < 60; iter++) {
        let g = d[l] as number;
        let p = ((d[l + 1] as number) - g) / (2 * (e[l] as number));
        let r = hyp(p, 1);
        if (p < 0) r = -r;
        d[l] = (e[l] as number) / (p + r);
        d[l + 1] = (e[l] as number) * (p + r);
        const dl1 = d[l + 1] as number;
        let h = g - (d[l] as number);
        for (let i = l + 2; i < n; i++) d[i] = (d[i] as number) - h;
        f += h;
        p = d[m] as number;
        let c = 1;
        let c2 = 1;
        let c3 = 1;
        let s = 0;
        let s2 = 0;
        const el1 = e[l + 1] as number;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          const ei = e[i] as number;
          g = c * ei;
          h = c * p;
          r = hyp(p, ei);
          e[i + 1] = s * r;
          s = ei / r;
          c = p / r;
          const di = d[i] as number;
          p = c * di - s * g;
          d[i + 1] = h + s * (c * g + s * di);
          const zi = i * n;
          const zj = (i + 1) * n;
          for (let k = 0; k < n; k++) {
            const hk = Z[zj + k] as number;
            const zik = Z[zi + k] as number;
            Z[zj + k] = s * zik + c * hk;
            Z[zi + k] = c * zik - s * hk;
          }
        }
        p = (-s * s2 * c3 * el1 * (e[l] as number)) / dl1;
        e[l] = s * p;
        d[l] = c * p;
        if (!(Math.abs(e[l] as number) > eps * tst1)) break;
      }
    }
    d[l] = (d[l] as number) + f;
    e[l] = 0;
  }
}

export const optimSymEigen: OptimKernels['optimSymEigen'] = (a, n, values, vectors) => {
  if (n === 0) return;
  const V = Float64Array.from(a.subarray(0, n * n));
  const e = new Float64Array(n);
  tred2(V, n, values, e);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) vectors[i * n + k] = V[k * n + i] as number;
  tql2(vectors, n, values, e);
  for (let i = 0; i + 1 < n; i++) {
    let k = i;
    for (let j = i + 1; j < n; j++) if ((values[j] as number) < (values[k] as number)) k = j;
    if (k !== i) {
      const t = values[i] as number;
      values[i] = values[k] as number;
      values[k] = t;
      const row = vectors.slice(i * n, (i + 1) * n);
      vectors.copyWithin(i * n, k * n, (k + 1) * n);
      vectors.set(row, k * n);
    }
  }
};

export const optimInverseRoot: OptimKernels['optimInverseRoot'] = (a, n, root, eps, out) => {
  if (n === 0) return;
  const values = new Float64Array(n);
  const Z = new Float64Array(n * n);
  optimSymEigen(a, n, values, Z);
  for (let i = 0; i < n; i++) {
    const w = Math.max(values[i] as number, 0) + eps;
    values[i] = w > 0 ? w ** (-1 / root) : 0;
  }
  for (let r = 0; r < n; r++) {
    const o = r * n;
    out.fill(0, o, o + n);
    for (let i = 0; i < n; i++) {
      const z = i * n;
      const c = (values[i] as number) * (Z[z + r] as number);
      if (c === 0) continue;
      for (let k = 0; k < n; k++) out[o + k] = (out[o + k] as number) + c * (Z[z + k] as number);
    }
  }
};

export const optimShampooStats: OptimKernels['optimShampooStats'] = (g, rows, cols, l, r, decay, weight) => {
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < rows; j++) {
      let s = 0;
      for (let k = 0; k < cols; k++) s += (g[i * cols + k] as number) * (g[j * cols + k] as number);
      l[i * rows + j] = decay * (l[i * rows + j] as number) + weight * s;
    }
  const acc = new Float64Array(cols);
  for (let j = 0; j < cols; j++) {
    acc.fill(0);
    for (let k = 0; k < rows; k++) {
      const c = g[k * cols + j] as number;
      for (let t = 0; t < cols; t++) acc[t] = (acc[t] as number) + c * (g[k * cols + t] as number);
    }
    for (let t = 0; t < cols; t++) r[j * cols + t] = decay * (r[j * cols + t] as number) + weight * (acc[t] as number);
  }
};

export const optimShampooPrecondition: OptimKernels['optimShampooPrecondition'] = (
  g,
  rows,
  cols,
  lRoot,
  rRoot,
  out,
) => {
  const t = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++)
    for (let k = 0; k < cols; k++) {
      const c = g[i * cols + k] as number;
      for (let j = 0; j < cols; j++)
        t[i * cols + j] = (t[i * cols + j] as number) + c * (rRoot[k * cols + j] as number);
    }
  const acc = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    acc.fill(0);
    for (let k = 0; k < rows; k++) {
      const c = lRoot[i * rows + k] as number;
      for (let j = 0; j < cols; j++) acc[j] = (acc[j] as number) + c * (t[k * cols + j] as number);
    }
    for (let j = 0; j < cols; j++) out[i * cols + j] = acc[j] as number;
  }
};
