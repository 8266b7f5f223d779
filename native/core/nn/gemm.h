// Dense matrix products for the MLP kernels: blocked, register-tiled, vectorized by the compiler
// (no BLAS). Single-threaded; the callers split rows (or parameter rows) over the thread pool.
// Each output element is accumulated over k in increasing order whatever the tiling, so a row's
// result does not depend on how the rows were split.
#pragma once

#include <cstddef>

#include "core/nn/mlp.h"

namespace ol::nn {

// C[M x N] = A[M x K] * B[K x N], or C += A*B when `accumulate`.
// A's element (i, p) is A[i*ars + p*acs] (so A or its transpose can be passed); B and C are
// row-major with leading dimensions ldb and ldc.
void gemmNN(size_t M, size_t N, size_t K, const float* A, size_t ars, size_t acs, const float* B, size_t ldb, float* C,
            size_t ldc, bool accumulate);

// C[M x N] = f(A[M x K] * B[K x N] + b) with b [N] added to every row and A's rows contiguous
// (leading dimension lda): a forward layer in one pass, the bias loaded into the accumulators
// and f applied as each tile is stored. Bit-identical to copying b into C's rows, then
// gemmNN(.., accumulate) and activate(f, ..) (shapes or activations without a fused tile run
// exactly that way).
void gemmBiasAct(size_t M, size_t N, size_t K, const float* A, size_t lda, const float* B, size_t ldb, const float* b,
                 float* C, size_t ldc, Activation f);

// dst[cols x rows] = src[rows x cols]^T.
void transpose(const float* src, size_t rows, size_t cols, float* dst);

}  // namespace ol::nn
