// Host-side test of the CUDA kernels against the CPU code. Exits 0 with "skipped" where no GPU
// exists (this proves only that the CUDA path builds); where a GPU exists it must match.
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "core/rng/philox.h"
#include "cuda/cuda_kernels.h"

int main() {
  int devices = ol::cuda::deviceCount();
  if (devices == 0) {
    std::printf("cuda_test: no CUDA device here; kernels built, run skipped\n");
    return 0;
  }
  const size_t n = 1000003;
  ol::rng::Key key{0xa4093822u, 0x299f31d0u};
  std::vector<uint32_t> gpu(n), cpu(n);
  std::string error;
  if (!ol::cuda::fillBits(key, 12345, gpu.data(), n, &error)) {
    std::printf("cuda_test: fillBits failed: %s\n", error.c_str());
    return 1;
  }
  for (size_t i = 0; i < n; ++i) cpu[i] = ol::rng::wordAt(key, 12345, i);
  for (size_t i = 0; i < n; ++i) {
    if (gpu[i] != cpu[i]) {
      std::printf("cuda_test: philox word %zu differs: gpu %08x cpu %08x\n", i, gpu[i], cpu[i]);
      return 1;
    }
  }
  // Adam: three steps on the GPU against a double-precision reference.
  const size_t m = 4096;
  std::vector<float> p(m), g(m), mm(m, 0.f), vv(m, 0.f);
  std::vector<double> rp(m), rm(m, 0.0), rv(m, 0.0);
  for (size_t i = 0; i < m; ++i) {
    p[i] = static_cast<float>(std::sin(0.1 * i));
    g[i] = static_cast<float>(std::cos(0.37 * i));
    rp[i] = p[i];
  }
  const double lr = 1e-2, b1 = 0.9, b2 = 0.999, eps = 1e-8;
  for (int t = 1; t <= 3; ++t) {
    if (!ol::cuda::adamStep(p.data(), g.data(), mm.data(), vv.data(), m, lr, b1, b2, eps, t, &error)) {
      std::printf("cuda_test: adamStep failed: %s\n", error.c_str());
      return 1;
    }
    for (size_t i = 0; i < m; ++i) {
      rm[i] = b1 * rm[i] + (1 - b1) * g[i];
      rv[i] = b2 * rv[i] + (1 - b2) * g[i] * g[i];
      double mhat = rm[i] / (1 - std::pow(b1, t)), vhat = rv[i] / (1 - std::pow(b2, t));
      rp[i] -= lr * mhat / (std::sqrt(vhat) + eps);
    }
  }
  for (size_t i = 0; i < m; ++i) {
    if (std::fabs(p[i] - rp[i]) > 1e-5) {
      std::printf("cuda_test: adam param %zu: gpu %.8f ref %.8f\n", i, p[i], rp[i]);
      return 1;
    }
  }
  std::printf("cuda_test: %d device(s); philox and adam match the CPU\n", devices);
  return 0;
}
