#include "core/nn/lstm.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "core/nn/gemm.h"
#include "core/nn/tanh_rational.h"
#include "core/parallel.h"
#include "core/simd.h"

namespace ol::nn {
namespace {

// As gru.cc: batch slices run all T steps; parameter-gradient rows per reduction item.
constexpr size_t kBatchGrain = 8;
constexpr size_t kGradRows = 12;

inline float sigmoidT(float x) { return 0.5f + 0.5f * tanhRational(0.5f * x); }

// One row of a step: a* = x Wi + bi on entry (overwritten by the activated gates), b* = h Wh + bh.
// Restrict parameters (one per gate block) let the compiler vectorize over j.
inline __attribute__((always_inline)) void forwardRow(size_t H, float* __restrict ai, float* __restrict af,
                                                      float* __restrict ag, float* __restrict ao,
                                                      const float* __restrict bi, const float* __restrict bf,
                                                      const float* __restrict bg, const float* __restrict bo,
                                                      const float* __restrict cp, float* __restrict tc,
                                                      float* __restrict c, float* __restrict h) {
  for (size_t j = 0; j < H; ++j) {
    const float i = sigmoidT(ai[j] + bi[j]);
    const float f = sigmoidT(af[j] + bf[j]);
    const float g = tanhRational(ag[j] + bg[j]);
    const float o = sigmoidT(ao[j] + bo[j]);
    const float cn = f * cp[j] + i * g;
    const float t = tanhRational(cn);
    ai[j] = i;
    af[j] = f;
    ag[j] = g;
    ao[j] = o;
    c[j] = cn;
    tc[j] = t;
    h[j] = o * t;
  }
}

OL_HOT_LOOP void forwardCells(size_t rows, size_t H, float* gates, const float* ah, const float* cp, float* tc,
                              float* c, float* h) {
  const size_t G = 4 * H;
  for (size_t b = 0; b < rows; ++b) {
    float* a = gates + b * G;
    const float* q = ah + b * G;
    forwardRow(H, a, a + H, a + 2 * H, a + 3 * H, q, q + H, q + 2 * H, q + 3 * H, cp + b * H, tc + b * H, c + b * H,
               h + b * H);
  }
}

// One row of a step backward: dh = dHs + carryH, dc = carryC + dh o (1 - tanh(c)^2) (carries
// dropped when `cut`); writes the pre-activation gradients and carryC = dc f.
inline __attribute__((always_inline)) void backwardRow(size_t H, float keep, const float* __restrict gi,
                                                       const float* __restrict gf, const float* __restrict gg,
                                                       const float* __restrict go, const float* __restrict cp,
                                                       const float* __restrict tc, const float* __restrict d,
                                                       const float* __restrict ch, float* __restrict cc,
                                                       float* __restrict di, float* __restrict df,
                                                       float* __restrict dg, float* __restrict dout) {
  for (size_t j = 0; j < H; ++j) {
    const float i = gi[j], f = gf[j], g = gg[j], o = go[j], t = tc[j];
    const float dh = d[j] + keep * ch[j];
    const float dc = keep * cc[j] + dh * o * (1.0f - t * t);
    dout[j] = dh * t * o * (1.0f - o);
    di[j] = dc * g * i * (1.0f - i);
    df[j] = dc * cp[j] * f * (1.0f - f);
    dg[j] = dc * i * (1.0f - g * g);
    cc[j] = dc * f;
  }
}

OL_HOT_LOOP void backwardCells(size_t rows, size_t H, bool cut, const float* gates, const float* cp, const float* tc,
                               const float* dHs, const float* carryH, float* carryC, float* dA) {
  const size_t G = 4 * H;
  const float keep = cut ? 0.0f : 1.0f;
  for (size_t b = 0; b < rows; ++b) {
    const float* g = gates + b * G;
    float* da = dA + b * G;
    backwardRow(H, keep, g, g + H, g + 2 * H, g + 3 * H, cp + b * H, tc + b * H, dHs + b * H, carryH + b * H,
                carryC + b * H, da, da + H, da + 2 * H, da + 3 * H);
  }
}

OL_HOT_LOOP void columnSums(const float* m, size_t rows, size_t cols, float* out) {
  std::memset(out, 0, cols * sizeof(float));
  for (size_t r = 0; r < rows; ++r) {
    const float* row = m + r * cols;
    for (size_t j = 0; j < cols; ++j) out[j] += row[j];
  }
}

float* scratch(size_t slot, size_t n) {
  thread_local std::vector<float> bufs[2];
  if (bufs[slot].size() < n) bufs[slot].resize(n);
  return bufs[slot].data();
}

}  // namespace

size_t lstmParamCount(size_t in, size_t hidden) { return (in + hidden + 2) * 4 * hidden; }
size_t lstmTapeSize(const LstmSpec& s) { return 7 * s.steps * s.batch * s.hidden; }
size_t lstmWorkSize(const LstmSpec& s) {
  return 4 * s.steps * s.batch * s.hidden + 2 * s.batch * s.hidden + 4 * s.hidden * (s.hidden + s.in);
}

void lstmForward(const LstmSpec& s, const float* params, const float* xs, const float* h0, const float* c0,
                 const uint8_t* resets, float* hs, float* cs, float* tape) {
  const size_t I = s.in, H = s.hidden, T = s.steps, B = s.batch, G = 4 * H, TB = T * B;
  const float* wi = params;
  const float* wh = wi + I * G;
  const float* bi = wh + H * G;
  const float* bh = bi + G;
  parallelFor(B, kBatchGrain, [&](size_t b0, size_t b1) {
    const size_t rows = b1 - b0;
    float* ah = scratch(0, rows * G);
    for (size_t t = 0; t < T; ++t) {
      const size_t row0 = t * B + b0;
      // Without a tape the gates, cPrev, tanh(c) and hPrev of this step live in scratch.
      float* loose = tape != nullptr ? nullptr : scratch(1, rows * (G + 3 * H));
      float* gates = tape != nullptr ? tape + row0 * G : loose;
      float* cp = tape != nullptr ? tape + TB * G + row0 * H : loose + rows * G;
      float* tc = tape != nullptr ? tape + TB * (G + H) + row0 * H : cp + rows * H;
      float* hp = tape != nullptr ? tape + TB * (G + 2 * H) + row0 * H : tc + rows * H;
      for (size_t b = 0; b < rows; ++b) {
        const size_t row = row0 + b;
        const float *fromH = nullptr, *fromC = nullptr;
        if (resets == nullptr || resets[row] == 0) {
          if (t > 0) {
            fromH = hs + (row - B) * H;
            fromC = cs + (row - B) * H;
          } else {
            fromH = h0 ? h0 + (b0 + b) * H : nullptr;
            fromC = c0 ? c0 + (b0 + b) * H : nullptr;
          }
        }
        if (fromH != nullptr) std::memcpy(hp + b * H, fromH, H * sizeof(float));
        else std::memset(hp + b * H, 0, H * sizeof(float));
        if (fromC != nullptr) std::memcpy(cp + b * H, fromC, H * sizeof(float));
        else std::memset(cp + b * H, 0, H * sizeof(float));
      }
      gemmBiasAct(rows, G, I, xs + row0 * I, I, wi, G, bi, gates, G, Activation::Identity);
      gemmBiasAct(rows, G, H, hp, H, wh, G, bh, ah, G, Activation::Identity);
      forwardCells(rows, H, gates, ah, cp, tc, cs + row0 * H, hs + row0 * H);
    }
  });
}

void lstmBackward(const LstmSpec& s, size_t truncate, const float* params, const float* xs, const uint8_t* resets,
                  const float* tape, const float* dHs, float* gParams, float* gXs, float* gH0, float* gC0,
                  float* work) {
  const size_t I = s.in, H = s.hidden, T = s.steps, B = s.batch, G = 4 * H, TB = T * B;
  const float* wi = params;
  const float* wh = wi + I * G;
  const float* gates = tape;
  const float* cpAll = tape + TB * G;
  const float* tcAll = cpAll + TB * H;
  const float* hpAll = tcAll + TB * H;
  float* dA = work;
  float* carryH = dA + TB * G;
  float* carryC = carryH + B * H;
  float* whT = carryC + B * H;  // [4H x H]
  float* wiT = whT + G * H;     // [4H x I]
  transpose(wh, H, G, whT);
  transpose(wi, I, G, wiT);
  std::memset(carryH, 0, 2 * B * H * sizeof(float));

  parallelFor(B, kBatchGrain, [&](size_t b0, size_t b1) {
    const size_t rows = b1 - b0;
    float* ch = carryH + b0 * H;
    float* cc = carryC + b0 * H;
    for (size_t t = T; t-- > 0;) {
      const size_t row0 = t * B + b0;
      const bool cut = truncate > 0 && (t + 1) % truncate == 0;
      float* da = dA + row0 * G;
      backwardCells(rows, H, cut, gates + row0 * G, cpAll + row0 * H, tcAll + row0 * H, dHs + row0 * H, ch, cc, da);
      gemmNN(rows, H, G, da, G, 1, whT, H, ch, H, false);  // carryH = dA Wh^T
      if (resets != nullptr)
        for (size_t b = 0; b < rows; ++b)
          if (resets[row0 + b] != 0) {
            std::memset(ch + b * H, 0, H * sizeof(float));
            std::memset(cc + b * H, 0, H * sizeof(float));
          }
    }
  });
  if (gH0 != nullptr) std::memcpy(gH0, carryH, B * H * sizeof(float));
  if (gC0 != nullptr) std::memcpy(gC0, carryC, B * H * sizeof(float));

  float* gWi = gParams;
  float* gWh = gParams + I * G;
  float* gBi = gWh + H * G;
  float* gBh = gBi + G;
  // One contiguous block of Wh rows per thread (as gru.cc).
  parallelFor(H, kGradRows, [&](size_t k0, size_t k1) {
    gemmNN(k1 - k0, G, TB, hpAll + k0, 1, H, dA, G, gWh + k0 * G, G, false);
  });
  parallelFor(I + 1, kGradRows, [&](size_t k0, size_t k1) {
    if (k1 > I) {  // the last item: the biases (both enter every gate the same way)
      columnSums(dA, TB, G, gBi);
      std::memcpy(gBh, gBi, G * sizeof(float));
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
