// Float64 central differences of a scalar function: the gradient every derivative test checks
// against.

/** (f(x + h·e_i) − f(x − h·e_i)) / 2h for every i; x is left unchanged. */
export function centralGradient(f: (x: Float64Array) => number, x: Float64Array, h: number): Float64Array {
  const fd = new Float64Array(x.length);
  const q = x.slice();
  for (let i = 0; i < x.length; i++) {
    const xi = x[i] as number;
    q[i] = xi + h;
    const up = f(q);
    q[i] = xi - h;
    fd[i] = (up - f(q)) / (2 * h);
    q[i] = xi;
  }
  return fd;
}
