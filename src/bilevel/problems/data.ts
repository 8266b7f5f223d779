// Checks of a problem's data arrays, and small dense helpers over row-major [rows × d] data.
import { checkFloat32, checkInt32 } from '../../util/check.js';

/** Checks x [rows × d] against y and returns rows; every entry must be finite. */
export function checkRows(x: unknown, y: unknown, d: number, fn: string, xName: string, yName: string): number {
  checkFloat32(x, `${fn}: ${xName}`);
  if (y instanceof Int32Array) checkInt32(y, `${fn}: ${yName}`);
  else checkFloat32(y, `${fn}: ${yName}`);
  const rows = y.length;
  if (rows < 1) throw new RangeError(`${fn}: ${yName}: expected at least one row`);
  if (x.length !== rows * d)
    throw new RangeError(
      `${fn}: ${xName}: expected length ${rows}·${d} = ${rows * d} (rows of ${yName} × features), got ${x.length}`,
    );
  for (let i = 0; i < x.length; i++)
    if (!Number.isFinite(x[i])) throw new RangeError(`${fn}: ${xName}[${i}]: expected a finite number, got ${x[i]}`);
  for (let i = 0; i < y.length; i++)
    if (!Number.isFinite(y[i])) throw new RangeError(`${fn}: ${yName}[${i}]: expected a finite number, got ${y[i]}`);
  return rows;
}

/** λmax(XᵀX/rows) (with a column of ones appended when `bias`), by float64 power iteration. */
export function gramTop(x: Float32Array, rows: number, d: number, bias: boolean): number {
  const k = bias ? d + 1 : d;
  let v: Float64Array = new Float64Array(k).fill(1 / Math.sqrt(k));
  let rho = 0;
  const xv = new Float64Array(rows);
  for (let it = 0; it < 200; it++) {
    for (let r = 0; r < rows; r++) {
      let s = bias ? (v[d] as number) : 0;
      for (let j = 0; j < d; j++) s += (x[r * d + j] as number) * (v[j] as number);
      xv[r] = s;
    }
    const out = new Float64Array(k);
    for (let r = 0; r < rows; r++) {
      const s = (xv[r] as number) / rows;
      for (let j = 0; j < d; j++) out[j] = (out[j] as number) + (x[r * d + j] as number) * s;
      if (bias) out[d] = (out[d] as number) + s;
    }
    let norm = 0;
    for (let j = 0; j < k; j++) norm += (out[j] as number) ** 2;
    norm = Math.sqrt(norm);
    if (!(norm > 0)) return 0;
    const prev = rho;
    rho = norm; // ‖Av‖ with ‖v‖ = 1 → λmax from below
    for (let j = 0; j < k; j++) out[j] = (out[j] as number) / norm;
    v = out;
    if (Math.abs(rho - prev) <= 1e-12 * rho) break;
  }
  return rho;
}

/** Margin over the power-iteration estimate, which approaches λmax from below. */
export const GRAM_MARGIN = 1.05;
