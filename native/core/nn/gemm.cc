#include "core/nn/gemm.h"

#include <cstring>

#include "core/nn/activation.h"
#include "core/simd.h"

// Let the compiler fuse multiply-adds in these tiles (the project builds with -ffp-contract=off);
// every tile shape contracts the same expression, so results do not depend on the tiling.
#pragma GCC optimize("fp-contract=fast")
// 64-byte vectors in always-inlined helpers: no ABI crosses a call.
#pragma GCC diagnostic ignored "-Wpsabi"

#include "core/nn/tanh_rational.h"

namespace ol::nn {
namespace {

typedef float v16 __attribute__((vector_size(64)));
typedef float v8 __attribute__((vector_size(32)));

// Unaligned vector loads and stores (memcpy compiles to one vector move).
template <class V = v16>
inline __attribute__((always_inline)) V load(const float* p) {
  V v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
template <class V>
inline __attribute__((always_inline)) void store(float* p, V v) {
  std::memcpy(p, &v, sizeof v);
}

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

// 8 to 15 columns left: one 8-lane vector per row (widths like 40 end here). Element-wise the same
// multiply-add chain over k as the wide tiles.
template <int MR>
inline __attribute__((always_inline)) void tile8(size_t K, const float* A, size_t ars, size_t acs, const float* B,
                                                 size_t ldb, float* C, size_t ldc, bool accumulate) {
  v8 c[MR];
  for (int r = 0; r < MR; ++r) c[r] = accumulate ? load<v8>(C + r * ldc) : v8{};
  for (size_t p = 0; p < K; ++p) {
    v8 b = load<v8>(B + p * ldb);
    for (int r = 0; r < MR; ++r) c[r] += A[r * ars + p * acs] * b;
  }
  for (int r = 0; r < MR; ++r) store(C + r * ldc, c[r]);
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

typedef int m16 __attribute__((vector_size(64)));

// Lane sums of 16 accumulators at once: a butterfly of shuffles and adds (15 adds for 16 sums,
// instead of 15 dependent adds per sum). Lane l of the result is the sum of acc[bitReverse4(l)];
// every sum is the same tree over its own lanes, whichever accumulators share the call.
inline __attribute__((always_inline)) v16 laneSums16(const v16* acc) {
  const m16 lo1 = {0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23}, hi1 = lo1 + 8;
  const m16 lo2 = {0, 1, 2, 3, 16, 17, 18, 19, 8, 9, 10, 11, 24, 25, 26, 27}, hi2 = lo2 + 4;
  const m16 lo3 = {0, 1, 16, 17, 4, 5, 20, 21, 8, 9, 24, 25, 12, 13, 28, 29}, hi3 = lo3 + 2;
  const m16 lo4 = {0, 16, 2, 18, 4, 20, 6, 22, 8, 24, 10, 26, 12, 28, 14, 30}, hi4 = lo4 + 1;
  v16 a[8], b[4], c[2];
  for (int i = 0; i < 8; ++i)
    a[i] = __builtin_shuffle(acc[2 * i], acc[2 * i + 1], lo1) + __builtin_shuffle(acc[2 * i], acc[2 * i + 1], hi1);
  for (int i = 0; i < 4; ++i)
    b[i] = __builtin_shuffle(a[2 * i], a[2 * i + 1], lo2) + __builtin_shuffle(a[2 * i], a[2 * i + 1], hi2);
  for (int i = 0; i < 2; ++i)
    c[i] = __builtin_shuffle(b[2 * i], b[2 * i + 1], lo3) + __builtin_shuffle(b[2 * i], b[2 * i + 1], hi3);
  return __builtin_shuffle(c[0], c[1], lo4) + __builtin_shuffle(c[0], c[1], hi4);
}
constexpr int kBitReverse4[16] = {0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15};

// C[i][j] (+)= A row i · Bt row j: 16-lane partial sums over k (in order of k), a fixed lane
// tree (laneSums16), then the k % 16 tail in order. For outputs narrower than one vector (a value
// head, a 2-action policy) with contiguous A rows. Bt holds whole groups of 4 columns (zero-padded)
// so the 16 accumulators are compile-time registers; MR rows x 4 columns share one lane tree, and
// a row's results do not depend on MR (that is, on how the caller split the rows).
constexpr size_t kDotCols = 4;
template <int MR>
inline __attribute__((always_inline)) void dotRows(size_t N, size_t K, const float* A, size_t lda, const float* Bt,
                                                   float* C, size_t ldc, bool accumulate) {
  const size_t K16 = K & ~size_t{15};
  for (size_t j0 = 0; j0 < N; j0 += kDotCols) {
    const float* bt = Bt + j0 * K;
    v16 acc[16];
    for (int q = 0; q < 16; ++q) acc[q] = v16{};
    for (size_t p = 0; p < K16; p += 16) {
      v16 av[MR];
      for (int r = 0; r < MR; ++r) av[r] = load(A + r * lda + p);
      for (size_t jj = 0; jj < kDotCols; ++jj) {
        v16 bv = load(bt + jj * K + p);
        for (int r = 0; r < MR; ++r) acc[r * kDotCols + jj] += av[r] * bv;
      }
    }
    v16 sums = laneSums16(acc);
    const size_t g = N - j0 < kDotCols ? N - j0 : kDotCols;
    for (int r = 0; r < MR; ++r)
      for (size_t jj = 0; jj < g; ++jj) {
        float s = sums[kBitReverse4[r * kDotCols + jj]];
        for (size_t p = K16; p < K; ++p) s += A[r * lda + p] * bt[jj * K + p];
        float* c = C + r * ldc + j0 + jj;
        *c = accumulate ? *c + s : s;
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

// ---- Fused bias + activation tiles (forward layers) -------------------------------------------
// The same multiply-add chains as tile/tile8/gemmEdgeColumns, started from the bias instead of a
// copy of it in C, with the activation applied to the accumulators on the way out.

// f on every lane (float or vector): the formulas of activation.cc's act<F>.
template <Activation F, class T>
inline __attribute__((always_inline)) T actLanes(T z) {
  if constexpr (F == Activation::Tanh) return tanhRational(z);
  if constexpr (F == Activation::Relu) return z < splat<T>(0.0f) ? splat<T>(0.0f) : z;
  if constexpr (F == Activation::LeakyRelu) return z > splat<T>(0.0f) ? z : kLeakySlope * z;
  return z;
}

template <int MR, int NV, Activation F>
inline __attribute__((always_inline)) void tileAct(size_t K, const float* A, size_t lda, const float* B, size_t ldb,
                                                   const float* bias, float* C, size_t ldc) {
  v16 c[MR][NV];
  for (int v = 0; v < NV; ++v) {
    const v16 b0 = load(bias + 16 * v);
    for (int r = 0; r < MR; ++r) c[r][v] = b0;
  }
  for (size_t p = 0; p < K; ++p) {
    v16 b[NV];
    for (int v = 0; v < NV; ++v) b[v] = load(B + p * ldb + 16 * v);
    for (int r = 0; r < MR; ++r) {
      float a = A[r * lda + p];
      for (int v = 0; v < NV; ++v) c[r][v] += a * b[v];
    }
  }
  for (int r = 0; r < MR; ++r)
    for (int v = 0; v < NV; ++v) store(C + r * ldc + 16 * v, actLanes<F>(c[r][v]));
}

template <int MR, Activation F>
inline __attribute__((always_inline)) void tile8Act(size_t K, const float* A, size_t lda, const float* B, size_t ldb,
                                                    const float* bias, float* C, size_t ldc) {
  v8 c[MR];
  const v8 b0 = load<v8>(bias);
  for (int r = 0; r < MR; ++r) c[r] = b0;
  for (size_t p = 0; p < K; ++p) {
    v8 b = load<v8>(B + p * ldb);
    for (int r = 0; r < MR; ++r) c[r] += A[r * lda + p] * b;
  }
  for (int r = 0; r < MR; ++r) store(C + r * ldc, actLanes<F>(c[r]));
}

template <int MR, Activation F>
inline __attribute__((always_inline)) void rowBlockAct(size_t N, size_t K, const float* A, size_t lda, const float* B,
                                                       size_t ldb, const float* bias, float* C, size_t ldc,
                                                       bool wide) {
  size_t j = 0;
  if (wide)
    for (; j + 64 <= N; j += 64) tileAct<MR, 4, F>(K, A, lda, B + j, ldb, bias + j, C + j, ldc);
  for (; j + 32 <= N; j += 32) tileAct<MR, 2, F>(K, A, lda, B + j, ldb, bias + j, C + j, ldc);
  for (; j + 16 <= N; j += 16) tileAct<MR, 1, F>(K, A, lda, B + j, ldb, bias + j, C + j, ldc);
  if (j + 8 <= N) {
    tile8Act<MR, F>(K, A, lda, B + j, ldb, bias + j, C + j, ldc);
    j += 8;
  }
  if (j < N) {
    // Scalar edge: the plain kernel over a copy of the bias, then f element by element.
    for (int r = 0; r < MR; ++r) std::memcpy(C + r * ldc + j, bias + j, (N - j) * sizeof(float));
    gemmEdgeColumns(MR, K, N - j, A, lda, 1, B + j, ldb, C + j, ldc, true);
    for (int r = 0; r < MR; ++r)
      for (size_t jj = j; jj < N; ++jj) C[r * ldc + jj] = actLanes<F>(C[r * ldc + jj]);
  }
}

template <Activation F>
inline __attribute__((always_inline)) void gemmActBody(size_t M, size_t N, size_t K, const float* A, size_t lda,
                                                       const float* B, size_t ldb, const float* bias, float* C,
                                                       size_t ldc, bool wide) {
  size_t i = 0;
  if (wide)
    for (; i + 6 <= M; i += 6) rowBlockAct<6, F>(N, K, A + i * lda, lda, B, ldb, bias, C + i * ldc, ldc, wide);
  for (; i + 4 <= M; i += 4) rowBlockAct<4, F>(N, K, A + i * lda, lda, B, ldb, bias, C + i * ldc, ldc, wide);
  switch (M - i) {
    case 3: rowBlockAct<3, F>(N, K, A + i * lda, lda, B, ldb, bias, C + i * ldc, ldc, wide); break;
    case 2: rowBlockAct<2, F>(N, K, A + i * lda, lda, B, ldb, bias, C + i * ldc, ldc, wide); break;
    case 1: rowBlockAct<1, F>(N, K, A + i * lda, lda, B, ldb, bias, C + i * ldc, ldc, wide); break;
    default: break;
  }
}

// One cloned entry per fused activation (target_clones does not take templates).
#define OL_GEMM_ACT(name, F)                                                                                     \
  OL_HOT_LOOP void name(size_t M, size_t N, size_t K, const float* A, size_t lda, const float* B, size_t ldb,     \
                        const float* bias, float* C, size_t ldc, bool wide) {                                      \
    gemmActBody<F>(M, N, K, A, lda, B, ldb, bias, C, ldc, wide);                                                   \
  }
OL_GEMM_ACT(gemmActIdentity, Activation::Identity)
OL_GEMM_ACT(gemmActTanh, Activation::Tanh)
OL_GEMM_ACT(gemmActRelu, Activation::Relu)
OL_GEMM_ACT(gemmActLeakyRelu, Activation::LeakyRelu)
#undef OL_GEMM_ACT

// Largest transposed narrow operand kept on the stack (64 KiB); larger ones use plain tiles.
constexpr size_t kNarrowScratch = 16 * 1024;

// Whether gemmNN takes the narrow dot-product path for this shape.
inline bool usesDotPath(size_t N, size_t K, size_t acs) {
  return N < 16 && acs == 1 && K >= 16 && (N + kDotCols - 1) / kDotCols * kDotCols * K <= kNarrowScratch;
}

}  // namespace

void gemmNN(size_t M, size_t N, size_t K, const float* A, size_t ars, size_t acs, const float* B, size_t ldb, float* C,
            size_t ldc, bool accumulate) {
  if (M == 0 || N == 0) return;
  // The path depends only on the shape and strides, never on how the caller split the rows
  // (a row-split caller passes the full, contiguous-row A, so acs == 1 holds for every split).
  if (usesDotPath(N, K, acs)) {
    // Narrow output, contiguous A rows: dot products against B's columns (copied contiguous).
    alignas(64) float bt[kNarrowScratch];
    for (size_t j = 0; j < N; ++j)
      for (size_t p = 0; p < K; ++p) bt[j * K + p] = B[p * ldb + j];
    const size_t padded = (N + kDotCols - 1) / kDotCols * kDotCols;  // zero columns fill the last group
    std::memset(bt + N * K, 0, (padded - N) * K * sizeof(float));
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

void gemmBiasAct(size_t M, size_t N, size_t K, const float* A, size_t lda, const float* B, size_t ldb, const float* b,
                 float* C, size_t ldc, Activation f) {
  if (M == 0 || N == 0) return;
  // Fused only where gemmNN would run the plain tiles over the whole K in one go (K-sliced and
  // dot-product shapes sum differently) and for the activations with a lane formula here.
  const bool fusedAct =
      f == Activation::Identity || f == Activation::Tanh || f == Activation::Relu || f == Activation::LeakyRelu;
  if (fusedAct && K <= 2 * kKc && !usesDotPath(N, K, 1)) {
    const bool wide = hasAvx512();
    switch (f) {
      case Activation::Tanh: gemmActTanh(M, N, K, A, lda, B, ldb, b, C, ldc, wide); return;
      case Activation::Relu: gemmActRelu(M, N, K, A, lda, B, ldb, b, C, ldc, wide); return;
      case Activation::LeakyRelu: gemmActLeakyRelu(M, N, K, A, lda, B, ldb, b, C, ldc, wide); return;
      default: gemmActIdentity(M, N, K, A, lda, B, ldb, b, C, ldc, wide); return;
    }
  }
  for (size_t r = 0; r < M; ++r) std::memcpy(C + r * ldc, b, N * sizeof(float));
  gemmNN(M, N, K, A, lda, 1, B, ldb, C, ldc, true);
  if (ldc == N) {
    activate(f, C, C, M * N);
  } else {
    for (size_t r = 0; r < M; ++r) activate(f, C + r * ldc, C + r * ldc, N);
  }
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
