// Eigenvalues of a small dense real matrix (the game Jacobian, m + n ≤ 64): Householder reduction
// to Hessenberg form, then complex single-shift QR with Wilkinson shifts and Givens rotations.
// Complex arithmetic throughout so conjugate pairs need no special 2×2 case; float64.

/** Eigenvalues (re, im) of the row-major n×n matrix `a` (left unchanged), in no set order. */
export function eigenvalues(a: Float64Array, n: number): { re: Float64Array; im: Float64Array } {
  const hr = Float64Array.from(a);
  hessenberg(hr, n);
  const hi = new Float64Array(n * n);
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  const eps = 2.220446049250313e-16;
  const cs = new Float64Array(n); // rotation k: c (real), s = sr + i·si
  const sr = new Float64Array(n);
  const si = new Float64Array(n);
  let top = n - 1;
  let its = 0;
  while (top >= 0) {
    // Lowest l such that H[l..top] is unreduced.
    let l = top;
    while (l > 0) {
      const k = l;
      const sub = Math.hypot(hr[k * n + k - 1] as number, hi[k * n + k - 1] as number);
      const diag =
        Math.hypot(hr[k * n + k] as number, hi[k * n + k] as number) +
        Math.hypot(hr[(k - 1) * n + k - 1] as number, hi[(k - 1) * n + k - 1] as number);
      if (sub <= eps * (diag || 1)) {
        hr[k * n + k - 1] = 0;
        hi[k * n + k - 1] = 0;
        break;
      }
      l--;
    }
    if (l === top || its > 60 * n) {
      re[top] = hr[top * n + top] as number;
      im[top] = hi[top * n + top] as number;
      top--;
      its = 0;
      continue;
    }
    its++;
    // Wilkinson shift: the eigenvalue of the trailing 2×2 block nearer its last diagonal entry;
    // an exceptional shift every 10 iterations breaks cycles.
    const p = top - 1;
    const ar = hr[p * n + p] as number;
    const ai = hi[p * n + p] as number;
    const br = hr[p * n + top] as number;
    const bi = hi[p * n + top] as number;
    const cr = hr[top * n + p] as number;
    const ci = hi[top * n + p] as number;
    const dr = hr[top * n + top] as number;
    const di = hi[top * n + top] as number;
    let mr: number;
    let mi: number;
    if (its % 10 === 0) {
      mr = dr + Math.abs(cr) * 0.75;
      mi = di;
    } else {
      // λ = (a + d)/2 ± sqrt(((a − d)/2)² + bc)
      const hr2 = (ar - dr) / 2;
      const hi2 = (ai - di) / 2;
      const qr = hr2 * hr2 - hi2 * hi2 + (br * cr - bi * ci);
      const qi = 2 * hr2 * hi2 + (br * ci + bi * cr);
      const mod = Math.hypot(qr, qi);
      let sqr = Math.sqrt((mod + qr) / 2);
      let sqi = Math.sign(qi || 1) * Math.sqrt(Math.max(0, (mod - qr) / 2));
      const mr0 = (ar + dr) / 2;
      const mi0 = (ai + di) / 2;
      // pick the root nearer d
      const d1 = Math.hypot(mr0 + sqr - dr, mi0 + sqi - di);
      const d2 = Math.hypot(mr0 - sqr - dr, mi0 - sqi - di);
      if (d2 < d1) {
        sqr = -sqr;
        sqi = -sqi;
      }
      mr = mr0 + sqr;
      mi = mi0 + sqi;
    }
    for (let k = l; k <= top; k++) {
      hr[k * n + k] = (hr[k * n + k] as number) - mr;
      hi[k * n + k] = (hi[k * n + k] as number) - mi;
    }
    // H − μI = QR by Givens rotations from the left ...
    for (let k = l; k < top; k++) {
      const xr = hr[k * n + k] as number;
      const xi = hi[k * n + k] as number;
      const yr = hr[(k + 1) * n + k] as number;
      const yi = hi[(k + 1) * n + k] as number;
      const ax = Math.hypot(xr, xi);
      const r = Math.hypot(ax, Math.hypot(yr, yi));
      let c = 0;
      let sRe = 1;
      let sIm = 0;
      if (r === 0) {
        c = 1;
        sRe = 0;
      } else if (ax !== 0) {
        c = ax / r;
        // s = (x/|x|)·conj(y)/r
        const ur = xr / ax;
        const ui = xi / ax;
        sRe = (ur * yr + ui * yi) / r;
        sIm = (ui * yr - ur * yi) / r;
      }
      cs[k] = c;
      sr[k] = sRe;
      si[k] = sIm;
      for (let j = k; j <= top; j++) {
        const pr = hr[k * n + j] as number;
        const pi = hi[k * n + j] as number;
        const qr = hr[(k + 1) * n + j] as number;
        const qi = hi[(k + 1) * n + j] as number;
        // row k: c·p + s·q; row k+1: −conj(s)·p + c·q
        hr[k * n + j] = c * pr + (sRe * qr - sIm * qi);
        hi[k * n + j] = c * pi + (sRe * qi + sIm * qr);
        hr[(k + 1) * n + j] = -(sRe * pr + sIm * pi) + c * qr;
        hi[(k + 1) * n + j] = -(sRe * pi - sIm * pr) + c * qi;
      }
    }
    // ... then RQ + μI: the rotations' adjoints from the right.
    for (let k = l; k < top; k++) {
      const c = cs[k] as number;
      const sRe = sr[k] as number;
      const sIm = si[k] as number;
      const rowEnd = Math.min(k + 2, top);
      for (let i = l; i <= rowEnd; i++) {
        const pr = hr[i * n + k] as number;
        const pi = hi[i * n + k] as number;
        const qr = hr[i * n + k + 1] as number;
        const qi = hi[i * n + k + 1] as number;
        // col k: c·p + conj(s)·q; col k+1: −s·p + c·q
        hr[i * n + k] = c * pr + (sRe * qr + sIm * qi);
        hi[i * n + k] = c * pi + (sRe * qi - sIm * qr);
        hr[i * n + k + 1] = -(sRe * pr - sIm * pi) + c * qr;
        hi[i * n + k + 1] = -(sRe * pi + sIm * pr) + c * qi;
      }
    }
    for (let k = l; k <= top; k++) {
      hr[k * n + k] = (hr[k * n + k] as number) + mr;
      hi[k * n + k] = (hi[k * n + k] as number) + mi;
    }
  }
  return { re, im };
}

/** In-place Householder reduction of a row-major n×n matrix to upper Hessenberg form. */
function hessenberg(a: Float64Array, n: number): void {
  const v = new Float64Array(n);
  for (let k = 0; k < n - 2; k++) {
    let alpha = 0;
    for (let i = k + 1; i < n; i++) alpha += (a[i * n + k] as number) ** 2;
    alpha = Math.sqrt(alpha);
    if (alpha === 0) continue;
    const x0 = a[(k + 1) * n + k] as number;
    if (x0 > 0) alpha = -alpha;
    v.fill(0);
    v[k + 1] = x0 - alpha;
    for (let i = k + 2; i < n; i++) v[i] = a[i * n + k] as number;
    let vv = 0;
    for (let i = k + 1; i < n; i++) vv += (v[i] as number) ** 2;
    if (vv === 0) continue;
    // A ← (I − 2vvᵀ/vᵀv) A (I − 2vvᵀ/vᵀv)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let i = k + 1; i < n; i++) s += (v[i] as number) * (a[i * n + j] as number);
      s = (2 * s) / vv;
      for (let i = k + 1; i < n; i++) a[i * n + j] = (a[i * n + j] as number) - s * (v[i] as number);
    }
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = k + 1; j < n; j++) s += (a[i * n + j] as number) * (v[j] as number);
      s = (2 * s) / vv;
      for (let j = k + 1; j < n; j++) a[i * n + j] = (a[i * n + j] as number) - s * (v[j] as number);
    }
  }
}
