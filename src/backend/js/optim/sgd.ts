// Twin of native/core/optim/sgd.cc: torch.optim.SGD (coupled weight decay; the momentum buffer is
// set to the gradient on the first step; Nesterov steps along d + μ·buf). Math in double, one loop.
import type { OptimKernels } from '../../kernels/optim.js';

export const optimSgd: OptimKernels['optimSgd'] = (p, g, lr, weightDecay) => {
  const n = p.length;
  for (let i = 0; i < n; i++) {
    const pi = p[i] as number;
    p[i] = pi - lr * ((g[i] as number) + weightDecay * pi);
  }
};

export const optimSgdMomentum: OptimKernels['optimSgdMomentum'] = (
  p,
  g,
  buf,
  lr,
  momentum,
  dampening,
  weightDecay,
  nesterov,
  first,
) => {
  const n = p.length;
  const keep = 1 - dampening;
  for (let i = 0; i < n; i++) {
    const pi = p[i] as number;
    const d = (g[i] as number) + weightDecay * pi;
    const b = Math.fround(first ? d : momentum * (buf[i] as number) + keep * d);
    buf[i] = b;
    p[i] = pi - lr * (nesterov ? d + momentum * b : b);
  }
};
