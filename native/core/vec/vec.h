// Vector basics over float32 buffers, as fused loops: y += a*x, x *= a, and reductions.
// Reductions accumulate in double over fixed 4096-element blocks and add the block sums in
// order, so their result is the same for every thread count.
#pragma once

#include <cstddef>

namespace ol::vec {

void axpy(float a, const float* x, float* y, size_t n);
void scale(float a, float* x, size_t n);
double dot(const float* x, const float* y, size_t n);
double sum(const float* x, size_t n);
double sumSquares(const float* x, size_t n);
// True when every element is finite (no NaN or Inf).
bool allFinite(const float* x, size_t n);

}  // namespace ol::vec
