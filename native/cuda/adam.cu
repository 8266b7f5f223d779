// Fused Adam step on the GPU (Kingma & Ba 2015, bias-corrected, as torch.optim.Adam without
// weight decay): one pass reads p, g, m, v and writes p, m, v.
#include <cuda_runtime.h>

#include <cmath>

#include "cuda/cuda_kernels.h"

namespace ol::cuda {
namespace {

__global__ void adamKernel(float* p, const float* g, float* m, float* v, size_t n, float lr, float b1, float b2,
                           float eps, float bc1, float bc2Sqrt) {
  size_t i = static_cast<size_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i >= n) return;
  float mi = b1 * m[i] + (1.0f - b1) * g[i];
  float vi = b2 * v[i] + (1.0f - b2) * g[i] * g[i];
  m[i] = mi;
  v[i] = vi;
  p[i] -= lr * (mi / bc1) / (sqrtf(vi) / bc2Sqrt + eps);
}

bool ok(cudaError_t status, std::string* error) {
  if (status == cudaSuccess) return true;
  if (error) *error = cudaGetErrorString(status);
  return false;
}

}  // namespace

bool adamStep(float* params, const float* grads, float* m, float* v, size_t n, float lr, float b1, float b2,
              float eps, int step, std::string* error) {
  if (n == 0) return true;
  float* d[4] = {nullptr, nullptr, nullptr, nullptr};
  size_t bytes = n * sizeof(float);
  bool good = true;
  for (auto& ptr : d) good = good && ok(cudaMalloc(&ptr, bytes), error);
  const float* host[4] = {params, grads, m, v};
  for (int k = 0; good && k < 4; ++k) good = ok(cudaMemcpy(d[k], host[k], bytes, cudaMemcpyHostToDevice), error);
  if (good) {
    float bc1 = 1.0f - static_cast<float>(std::pow(static_cast<double>(b1), step));
    float bc2Sqrt = static_cast<float>(std::sqrt(1.0 - std::pow(static_cast<double>(b2), step)));
    unsigned threads = 256;
    unsigned grid = static_cast<unsigned>((n + threads - 1) / threads);
    adamKernel<<<grid, threads>>>(d[0], d[1], d[2], d[3], n, lr, b1, b2, eps, bc1, bc2Sqrt);
    good = ok(cudaGetLastError(), error);
  }
  float* back[3] = {params, m, v};
  int idx[3] = {0, 2, 3};
  for (int k = 0; good && k < 3; ++k) good = ok(cudaMemcpy(back[k], d[idx[k]], bytes, cudaMemcpyDeviceToHost), error);
  for (auto* ptr : d) cudaFree(ptr);
  return good;
}

}  // namespace ol::cuda
