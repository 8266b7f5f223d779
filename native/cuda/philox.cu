// Philox4x32-10 stream fill on the GPU: one thread per 4-word block, sharing the block function
// with the CPU code (core/rng/philox.h is host/device).
#include <cuda_runtime.h>

#include "cuda/cuda_kernels.h"

namespace ol::cuda {
namespace {

__global__ void fillBitsKernel(rng::Key key, uint64_t counter, uint32_t* out, size_t n) {
  size_t b = static_cast<size_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (4 * b >= n) return;
  uint64_t c = counter + b;
  rng::Block blk = rng::philox(key, static_cast<uint32_t>(c), static_cast<uint32_t>(c >> 32), 0, 0);
  for (size_t lane = 0; lane < 4 && 4 * b + lane < n; ++lane) out[4 * b + lane] = blk.v[lane];
}

bool check(cudaError_t status, std::string* error) {
  if (status == cudaSuccess) return true;
  if (error) *error = cudaGetErrorString(status);
  return false;
}

}  // namespace

int deviceCount() {
  int n = 0;
  if (cudaGetDeviceCount(&n) != cudaSuccess) {
    cudaGetLastError();  // clear the sticky "no driver" error
    return 0;
  }
  return n;
}

bool fillBits(rng::Key key, uint64_t counter, uint32_t* hostOut, size_t n, std::string* error) {
  if (n == 0) return true;
  uint32_t* device = nullptr;
  if (!check(cudaMalloc(&device, n * sizeof(uint32_t)), error)) return false;
  size_t blocks = (n + 3) / 4;
  unsigned threads = 256;
  unsigned grid = static_cast<unsigned>((blocks + threads - 1) / threads);
  fillBitsKernel<<<grid, threads>>>(key, counter, device, n);
  bool ok = check(cudaGetLastError(), error) &&
            check(cudaMemcpy(hostOut, device, n * sizeof(uint32_t), cudaMemcpyDeviceToHost), error);
  cudaFree(device);
  return ok;
}

}  // namespace ol::cuda
