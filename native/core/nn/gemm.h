// Dense matrix products for the MLP kernels: blocked, register-tiled, vectorized by the compiler
// (no BLAS). Single-threaded; the callers split rows (or parameter rows) over the thread pool.
// Each output element is accumulated over k in increasing order whatever the tiling, so a row's
// result does not depend on how the rows were split.
#pragma once

#include <cstddef>

namespace ol::nn {

// C[M x N] = A[M x K] * B[K x N], or C += A*B when `accumulate`.
// A's element (i, p) is A[i*ars + p*acs] (so A or its transpose can be passed); B and C are
// row-major with leading dimensions ldb and ldc.
void gemmNN(size_t M, size_t N, size_t K, const float* A, size_t ars, size_t acs, const float* B, size_t ldb, float* C,
            size_t ldc, bool accumulate);

// dst[cols x rows] = src[rows x cols]^T.
void transpose(const float* src, size_t rows, size_t cols, float* dst);

}  // namespace ol::nn
