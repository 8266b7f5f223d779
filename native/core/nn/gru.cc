#include "core/nn/gru.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "core/nn/gemm.h"
#include "core/nn/tanh_rational.h"
#include "core/parallel.h"
#include "core/simd.h"

namespace ol::nn {
namespace {

// Rows of the batch per pool task at least: a slice runs all T steps, so fewer, larger slices keep
// the per-step matrix products efficient.
constexpr size_t kBatchGrain = 8;
// Fewest parameter-gradient rows per reduction task (the 6-row AVX-512 tile, twice).
constexpr size_t kGradRows = 12;

// The logistic function through the rational tanh (no exp, vectorizes): s(x) = (1 + tanh(x/2)) / 2.
inline float sigmoidT(float x) { return 0.5f + 0.5f * tanhRational(0.5f * x); }

struct Views {
  const float *wi, *wh, *bi, *bh;
};
Views views(const GruSpec& s, const float* p) {
  const size_t G = 3 * s.hidden;
  return {p, p + s.in * G, p + (s.in + s.hidden) * G, p + (s.in + s.hidden + 1) * G};
}

// One row of step t's elementwise part: g* hold x Wi + bi on entry, r, z, n on exit; a* = h Wh + bh.
// Restrict parameters (one per gate block) let the compiler vectorize over j.
inline __attribute__((always_inline)) void forwardRow(size_t H, float* __restrict gr, float* __restrict gz,
                                                      float* __restrict gn, const float* __restrict ar,
                                                      const float* __restrict az, const float* __restrict an,
                                                      const float* __restrict p, float* __restrict q,
                                                      float* __restrict o) {
  for (size_t j = 0; j < H; ++j) {
    const float r = sigmoidT(gr[j] + ar[j]);
    const float z = sigmoidT(gz[j] + az[j]);
    const float n = tanhRational(gn[j] + r * an[j]);
    gr[j] = r;
    gz[j] = z;
    gn[j] = n;
    q[j] = an[j];
    o[j] = (1.0f - z) * n + z * p[j];
  }
}

// Step t's elementwise part for `rows` rows (gates, ah [rows x 3H]; hp, hn, h [rows x H]).
OL_HOT_LOOP void forwardCells(size_t rows, size_t H, float* gates, const float* ah, const float* hp, float* hn,
                              float* h) {
  const size_t G = 3 * H;
  for (size_t b = 0; b < rows; ++b) {
    float* g = gates + b * G;
    const float* a = ah + b * G;
    forwardRow(H, g, g + H, g + 2 * H, a, a + H, a + 2 * H, hp + b * H, hn + b * H, h + b * H);
  }
}

// One row of step t's elementwise backward: dh = dHs + carry (carry dropped when `cut`); writes
// the pre-activation gradients da* (r, z, n as seen from x), dn (n as seen from h W_hn, i.e.
// scaled by r) and carry = dh * z (the direct path h' <- z h).
inline __attribute__((always_inline)) void backwardRow(size_t H, bool cut, const float* __restrict gr,
                                                       const float* __restrict gz, const float* __restrict gn,
                                                       const float* __restrict q, const float* __restrict p,
                                                       const float* __restrict d, float* __restrict c,
                                                       float* __restrict dar, float* __restrict daz,
                                                       float* __restrict dan, float* __restrict dn) {
  const float keep = cut ? 0.0f : 1.0f;
  for (size_t j = 0; j < H; ++j) {
    const float r = gr[j], z = gz[j], n = gn[j];
    const float dh = d[j] + keep * c[j];
    const float dnPre = dh * (1.0f - z) * (1.0f - n * n);
    const float dzPre = dh * (p[j] - n) * z * (1.0f - z);
    const float drPre = dnPre * q[j] * r * (1.0f - r);
    dar[j] = drPre;
    daz[j] = dzPre;
    dan[j] = dnPre;
    dn[j] = dnPre * r;
    c[j] = dh * z;
  }
}

// Step t's elementwise backward for `rows` rows: dA [rows x 3H], dNh [rows x H], carry [rows x H].
OL_HOT_LOOP void backwardCells(size_t rows, size_t H, bool cut, const float* gates, const float* hn,
                               const float* hp, const float* dHs, float* carry, float* dA, float* dNh) {
  const size_t G = 3 * H;
  for (size_t b = 0; b < rows; ++b) {
    const float* g = gates + b * G;
    float* da = dA + b * G;
    backwardRow(H, cut, g, g + H, g + 2 * H, hn + b * H, hp + b * H, dHs + b * H, carry + b * H, da, da + H,
                da + 2 * H, dNh + b * H);
  }
}

// out[j] = sum over rows of m[row * ld + j], rows in order (vectorized over j).
OL_HOT_LOOP void columnSums(const float* m, size_t rows, size_t cols, size_t ld, float* out) {
  std::memset(out, 0, cols * sizeof(float));
  for (size_t r = 0; r < rows; ++r) {
    const float* row = m + r * ld;
    for (size_t j = 0; j < cols; ++j) out[j] += row[j];
  }
}

float* scratch(size_t slot, size_t n) {
  thread_local std::vector<float> bufs[3];
  if (bufs[slot].size() < n) bufs[slot].resize(n);
  return bufs[slot].data();
}

}  // namespace

size_t gruParamCount(size_t in, size_t hidden) { return (in + hidden + 2) * 3 * hidden; }
size_t gruTapeSize(const GruSpec& s) { return 5 * s.steps * s.batch * s.hidden; }
size_t gruWorkSize(const GruSpec& s) {
  return 4 * s.steps * s.batch * s.hidden + s.batch * s.hidden + 3 * s.hidden * (s.hidden + s.in);
}

void gruForward(const GruSpec& s, const float* params, const float* xs, const float* h0, const uint8_t* resets,
                float* hs, float* tape) {
  const size_t I = s.in, H = s.hidden, T = s.steps, B = s.batch, G = 3 * H;
  const Views w = views(s, params);
  parallelFor(B, kBatchGrain, [&](size_t b0, size_t b1) {
    const size_t rows = b1 - b0;
    float* ah = scratch(0, rows * G);
    for (size_t t = 0; t < T; ++t) {
      const size_t row0 = t * B + b0;
      // Without a tape the gates, hn and hPrev of this step live in scratch.
      float* gates = tape != nullptr ? tape + row0 * G : scratch(1, rows * G);
      float* hn = tape != nullptr ? tape + T * B * G + row0 * H : scratch(2, rows * 2 * H);
      float* hp = tape != nullptr ? tape + T * B * (G + H) + row0 * H : hn + rows * H;
      for (size_t b = 0; b < rows; ++b) {
        const size_t row = row0 + b;
        const float* from = nullptr;
        if (resets == nullptr || resets[row] == 0) from = t > 0 ? hs + (row - B) * H : (h0 ? h0 + (b0 + b) * H : nullptr);
        if (from != nullptr) std::memcpy(hp + b * H, from, H * sizeof(float));
        else std::memset(hp + b * H, 0, H * sizeof(float));
      }
      gemmBiasAct(rows, G, I, xs + row0 * I, I, w.wi, G, w.bi, gates, G, Activation::Identity);
      gemmBiasAct(rows, G, H, hp, H, w.wh, G, w.bh, ah, G, Activation::Identity);
      forwardCells(rows, H, gates, ah, hp, hn, hs + row0 * H);
    }
  });
}

void gruBackward(const GruSpec& s, size_t truncate, const float* params, const float* xs, const uint8_t* resets,
                 const float* tape, const float* dHs, float* gParams, float* gXs, float* gH0, float* work) {
  const size_t I = s.in, H = s.hidden, T = s.steps, B = s.batch, G = 3 * H, TB = T * B;
  const Views w = views(s, params);
  const float* gates = tape;
  const float* hnAll = tape + TB * G;
  const float* hpAll = tape + TB * (G + H);
  float* dA = work;
  float* dNh = dA + TB * G;
  float* carry = dNh + TB * H;
  float* whT = carry + B * H;  // [3H x H]
  float* wiT = whT + G * H;    // [3H x I]
  transpose(w.wh, H, G, whT);
  transpose(w.wi, I, G, wiT);
  std::memset(carry, 0, B * H * sizeof(float));

  parallelFor(B, kBatchGrain, [&](size_t b0, size_t b1) {
    const size_t rows = b1 - b0;
    float* c = carry + b0 * H;
    for (size_t t = T; t-- > 0;) {
      const size_t row0 = t * B + b0;
      const bool cut = truncate > 0 && (t + 1) % truncate == 0;
      float* da = dA + row0 * G;
      float* dn = dNh + row0 * H;
      backwardCells(rows, H, cut, gates + row0 * G, hnAll + row0 * H, hpAll + row0 * H, dHs + row0 * H, c, da, dn);
      // carry += dA[:, r z] Wh[:, r z]^T + dNh Wh[:, n]^T
      gemmNN(rows, H, 2 * H, da, G, 1, whT, H, c, H, true);
      gemmNN(rows, H, H, dn, H, 1, whT + 2 * H * H, H, c, H, true);
      if (resets != nullptr)
        for (size_t b = 0; b < rows; ++b)
          if (resets[row0 + b] != 0) std::memset(c + b * H, 0, H * sizeof(float));
    }
  });
  if (gH0 != nullptr) std::memcpy(gH0, carry, B * H * sizeof(float));

  // Parameter gradients: sums over all TB rows, split over parameter rows (then bit-identical for
  // any split): Wh rows, then Wi rows with the biases.
  float* gWi = gParams;
  float* gWh = gParams + I * G;
  float* gBi = gWh + H * G;
  float* gBh = gBi + G;
  // One contiguous block of Wh rows per thread: each block streams dA once (in K slices that stay
  // in cache across its rows), so fewer, larger blocks move less memory.
  parallelFor(H, kGradRows, [&](size_t k0, size_t k1) {
    gemmNN(k1 - k0, 2 * H, TB, hpAll + k0, 1, H, dA, G, gWh + k0 * G, G, false);
    gemmNN(k1 - k0, H, TB, hpAll + k0, 1, H, dNh, H, gWh + k0 * G + 2 * H, G, false);
  });
  parallelFor(I + 1, kGradRows, [&](size_t k0, size_t k1) {
    if (k1 > I) {  // the last item: the biases
      columnSums(dA, TB, G, G, gBi);
      columnSums(dA, TB, 2 * H, G, gBh);
      columnSums(dNh, TB, H, H, gBh + 2 * H);
      k1 = I;
    }
    if (k0 < k1) gemmNN(k1 - k0, G, TB, xs + k0, 1, I, dA, G, gWi + k0 * G, G, false);
  });
  if (gXs != nullptr)
    parallelFor(TB, 64, [&](size_t r0, size_t r1) {
      gemmNN(r1 - r0, I, G, dA + r0 * G, G, 1, wiT, I, gXs + r0 * I, I, false);
    });
}

}  // namespace ol::nn
