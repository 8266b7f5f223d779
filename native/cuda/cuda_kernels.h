// CUDA kernels, compiled only by the CMake build when nvcc is found (OUTERLOOP_CUDA=ON/AUTO).
// Host-callable wrappers; they report failures through `error` instead of throwing across the
// CUDA runtime boundary.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/rng/philox.h"

namespace ol::cuda {

// Number of usable CUDA devices; 0 when there is no driver or no device.
int deviceCount();

// Fills n raw Philox4x32-10 words of stream (key, counter) on device 0 and copies them into
// hostOut. Same layout as ol::rng::fillBits on the CPU.
bool fillBits(rng::Key key, uint64_t counter, uint32_t* hostOut, size_t n, std::string* error);

// One fused Adam step on device 0 for n parameters held in host memory (copied in and out):
// the GPU twin of the CPU Adam kernel, used to prove the CUDA path end to end.
bool adamStep(float* params, const float* grads, float* m, float* v, size_t n, float lr, float b1, float b2,
              float eps, int step, std::string* error);

}  // namespace ol::cuda
