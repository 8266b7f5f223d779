#include "core/nn/gemm.h"

#include <cstring>

#include "core/simd.h"

// Let the compiler fuse multiply-adds in these tiles (the project builds with -ffp-contract=off);
// every tile shape contracts the same expression, so results do not depend on the tiling.
#pragma GCC optimize("fp-contract=fast")
// 64-byte vectors in always-inlined helpers: no ABI crosses a call.
#pragma GCC diagnostic ignored "-Wpsabi"

namespace ol::nn {
namespace {

typedef float v16 __attribute__((vector_size(64)));

inline __attribute__((always_inline)) v16 load(const float* p) {
  v16 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline __attribute__((always_inline)) void store(float* p, v16 v) { std::memcpy(p, &v, sizeof v); }

// One MR x (16*NV) tile of C over the full K.
template <int MR, int NV>
inline __attribute__((always_inline)) void tile(size_t K, const float* A, size_t ars, size_t acs, const float* B,
                                                size_t ldb, float* C, size_t ldc, bool accumulate) {
  v16 c[MR][NV];
  for (int r = 0; r < MR; ++r)
    for (int v = 0; v < NV; ++v) c[r][v] = accumulate ? load(C + r * ldc + 16 * v) : v16{};
  for (size_t p = 0; p < K; ++p) {
    v16 b[NV];
    for (int v = 0; v < NV; ++v) b[v] = load(B + p * ldb + 16 * v);
    for (int r = 0; r < MR; ++r) {
      float a = A[r * ars + p * acs];
      for (int v = 0; v < NV; ++v) c[r][v] += a * b[v];
    }
  }
  for (int r = 0; r < MR; ++r)
    for (int v = 0; v < NV; ++v) store(C + r * ldc + 16 * v, c[r][v]);
}

typedef float v8 __attribute__((vector_size(32)));
inline __attribute__((always_inline)) v8 load8(const float* p) {
  v8 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline __attribute__((always_inline)) void store8(float* p, v8 v) { std::memcpy(p, &v, sizeof v); }

// 8 to 15 columns left: one 8-lane vector per row (widths like 40 end here). Element-wise the same
// multiply-add chain over k as the wide tiles.
template <int MR>
inline __attribute__((always_inline)) void tile8(size_t K, const float* A, size_t ars, size_t acs, const float* B,
                                                 size_t ldb, float* C, size_t ldc, bool accumulate) {
  v8 c[MR];
  for (int r = 0; r < MR; ++r) c[r] = accumulate ? load8(C + r * ldc) : v8{};
  for (size_t p = 0; p < K; ++p) {
    v8 b = load8(B + p * ldb);
    for (int r = 0; r < MR; ++r) c[r] += A[r * ars + p * acs] * b;
  }
  for (int r = 0; r < MR; ++r) store8(C + r * ldc, c[r]);
}

// Fewer than 8 columns left: scalar accumulators, one multiply-add chain per element as in the
// vector tiles. Loop vectorization is off here: gcc would turn a one-row chain into an in-order
// reduction with separate multiplies and adds, so a row's result would depend on how many rows
// its block had (that is, on the thread split). (Building partial vectors element by element for
// every k, as before, cost more than the products on narrow layers.)
#pragma GCC push_options
#pragma GCC optimize("no-tree-loop-vectorize")
OL_HOT_LOOP __attribute__((noinline)) void gemmEdgeColumns(int mr, size_t K, size_t n, const float* A, size_t ars,
                                                           size_t acs, const float* B, size_t ldb, float* C,
                                                           size_t ldc, bool accumulate) {
  for (size_t j = 0; j < n; ++j) {
    float c[6];
    for (int r = 0; r < mr; ++r) c[r] = accumulate ? C[r * ldc + j] : 0.0f;
    for (size_t p = 0; p < K; ++p) {
      float b = B[p * ldb + j];
      for (int r = 0; r < mr; ++r) c[r] += A[r * ars + p * acs] * b;
    }
    for (int r = 0; r < mr; ++r) C[r * ldc + j] = c[r];
  }
}
#pragma GCC pop_options

template <int MR>
inline __attribute__((always_inline)) void rowBlock(size_t N, size_t K, const float* A, size_t ars, size_t acs,
                                                    const float* B, size_t ldb, float* C, size_t ldc,
                                                    bool accumulate, bool wide) {
  size_t j = 0;
  if (wide)
    for (; j + 64 <= N; j += 64) tile<MR, 4>(K, A, ars, acs, B + j, ldb, C + j, ldc, accumulate);
  for (; j + 32 <= N; j += 32) tile<MR, 2>(K, A, ars, acs, B + j, ldb, C + j, ldc, accumulate);
  for (; j + 16 <= N; j += 16) tile<MR, 1>(K, A, ars, acs, B + j, ldb, C + j, ldc, accumulate);
  if (j + 8 <= N) {
    tile8<MR>(K, A, ars, acs, B + j, ldb, C + j, ldc, accumulate);
    j += 8;
  }
  if (j < N) gemmEdgeColumns(MR, K, N - j, A, ars, acs, B + j, ldb, C + j, ldc, accumulate);
}

// C[i][j] (+)= A row i · Bt row j, 16-lane partial sums over k then a fixed-order lane sum.
// For outputs narrower than one vector (a value head, a 2-action policy) with contiguous A rows.
template <int MR>
inline __attribute__((always_inline)) void dotRows(size_t N, size_t K, const float* A, size_t lda, const float* Bt,
                                                   float* C, size_t ldc, bool accumulate) {
  const size_t K16 = K & ~size_t{15};
  for (size_t j = 0; j < N; ++j) {
    const float* b = Bt + j * K;
    v16 acc[MR];
    for (int r = 0; r < MR; ++r) acc[r] = v16{};
    for (size_t p = 0; p < K16; p += 16) {
      v16 bv = load(b + p);
      for (int r = 0; r < MR; ++r) acc[r] += load(A + r * lda + p) * bv;
    }
    for (int r = 0; r < MR; ++r) {
      float s = 0;
      for (int l = 0; l < 16; ++l) s += acc[r][l];
      for (size_t p = K16; p < K; ++p) s += A[r * lda + p] * b[p];
      C[r * ldc + j] = accumulate ? C[r * ldc + j] + s : s;
    }
  }
}

bool hasAvx512() {
#if defined(__x86_64__) && defined(__GNUC__)
  static const bool yes = __builtin_cpu_supports("avx512f");
  return yes;
#else
  return false;
#endif
}

OL_HOT_LOOP void gemmImpl(size_t M, size_t N, size_t K, const float* A, size_t ars, size_t acs, const float* B,
                          size_t ldb, float* C, size_t ldc, bool accumulate, bool wide) {
  // Tiles of 6 rows x 64 columns = 24 accumulators fit AVX-512's 32 registers (AVX2 and the
  // baseline use 4 x 32). B is read in place: packing it measured slower here, the tiles already
  // run near the core's FMA peak.
  size_t i = 0;
  if (wide)
    for (; i + 6 <= M; i += 6) rowBlock<6>(N, K, A + i * ars, ars, acs, B, ldb, C + i * ldc, ldc, accumulate, wide);
  for (; i + 4 <= M; i += 4) rowBlock<4>(N, K, A + i * ars, ars, acs, B, ldb, C + i * ldc, ldc, accumulate, wide);
  switch (M - i) {
    case 3: rowBlock<3>(N, K, A + i * ars, ars, acs, B, ldb, C + i * ldc, ldc, accumulate, wide); break;
    case 2: rowBlock<2>(N, K, A + i * ars, ars, acs, B, ldb, C + i * ldc, ldc, accumulate, wide); break;
    case 1: rowBlock<1>(N, K, A + i * ars, ars, acs, B, ldb, C + i * ldc, ldc, accumulate, wide); break;
    default: break;
  }
}

OL_HOT_LOOP void dotImpl(size_t M, size_t N, size_t K, const float* A, size_t lda, const float* Bt, float* C,
                         size_t ldc, bool accumulate) {
  size_t i = 0;
  for (; i + 4 <= M; i += 4) dotRows<4>(N, K, A + i * lda, lda, Bt, C + i * ldc, ldc, accumulate);
  for (; i < M; ++i) dotRows<1>(N, K, A + i * lda, lda, Bt, C + i * ldc, ldc, accumulate);
}

// Long reductions (weight gradients sum over the batch) run in slices of kKc steps of k, so the
// slice of B a tile column streams stays in L1/L2 while every row block reuses it. A tile reloads
// its partial sums from C and continues in order of k, so the blocked sum is bit-identical.
constexpr size_t kKc = 128;
void gemmBlocked(size_t M, size_t N, size_t K, const float* A, size_t ars, size_t acs, const float* B, size_t ldb,
                 float* C, size_t ldc, bool accumulate, bool wide) {
  if (K <= 2 * kKc) {
    gemmImpl(M, N, K, A, ars, acs, B, ldb, C, ldc, accumulate, wide);
    return;
  }
  for (size_t k0 = 0; k0 < K; k0 += kKc)
    gemmImpl(M, N, K - k0 < kKc ? K - k0 : kKc, A + k0 * acs, ars, acs, B + k0 * ldb, ldb, C, ldc,
             accumulate || k0 > 0, wide);
}

// Largest transposed narrow operand kept on the stack (64 KiB); larger ones use plain tiles.
constexpr size_t kNarrowScratch = 16 * 1024;

}  // namespace

void gemmNN(size_t M, size_t N, size_t K, const float* A, size_t ars, size_t acs, const float* B, size_t ldb, float* C,
            size_t ldc, bool accumulate) {
  if (M == 0 || N == 0) return;
  // The path depends only on the shape and strides, never on how the caller split the rows
  // (a row-split caller passes the full, contiguous-row A, so acs == 1 holds for every split).
  if (N < 16 && acs == 1 && K >= 16 && N * K <= kNarrowScratch) {
    // Narrow output, contiguous A rows: dot products against B's columns (copied contiguous).
    alignas(64) float bt[kNarrowScratch];
    for (size_t p = 0; p < K; ++p)
      for (size_t j = 0; j < N; ++j) bt[j * K + p] = B[p * ldb + j];
    dotImpl(M, N, K, A, ars, bt, C, ldc, accumulate);
    return;
  }
  if (N < 16 && ars == 1 && acs != 1 && M >= 16 && N * M <= kNarrowScratch) {
    // Narrow output, A given transposed (weight gradients of a narrow layer): solve the
    // transposed product C^T = B^T A^T, whose output is wide, then transpose back. Each element
    // is the same ordered sum over k as in the direct tiles.
    alignas(64) float ct[kNarrowScratch];
    gemmBlocked(N, M, K, B, 1, ldb, A, acs, ct, M, false, hasAvx512());
    for (size_t i = 0; i < M; ++i)
      for (size_t j = 0; j < N; ++j) C[i * ldc + j] = accumulate ? C[i * ldc + j] + ct[j * M + i] : ct[j * M + i];
    return;
  }
  gemmBlocked(M, N, K, A, ars, acs, B, ldb, C, ldc, accumulate, hasAvx512());
}

void transpose(const float* src, size_t rows, size_t cols, float* dst) {
  constexpr size_t kB = 16;
  for (size_t i0 = 0; i0 < rows; i0 += kB)
    for (size_t j0 = 0; j0 < cols; j0 += kB) {
      size_t i1 = i0 + kB < rows ? i0 + kB : rows;
      size_t j1 = j0 + kB < cols ? j0 + kB : cols;
      for (size_t i = i0; i < i1; ++i)
        for (size_t j = j0; j < j1; ++j) dst[j * rows + i] = src[i * cols + j];
    }
}

}  // namespace ol::nn
