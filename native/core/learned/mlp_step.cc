// The fused learned-optimizer step. Two passes over the parameters, because the features are
// normalized by their mean square over the whole segment:
//   1. update the accumulators and sum the squared raw features (fixed 4096-element blocks, summed
//      in block order, so the result does not depend on the thread count);
//   2. per tile of 16 parameters: recompute the raw features, run the MLP with the normalization
//      and the time features folded into the first layer, and apply the update.
// Everything per tile is lane-parallel over the 16 parameters (features, MLP, d·exp(m) update);
// only a segment's ragged last tile takes the scalar feature path.
// Folding: the 28 features hold 6 duplicates for rank < 2 tensors (the row and column slots both
// hold v_f), so the first layer sees 22 distinct features; scale_f and the time features'
// contribution are constants within a segment and step, so W₁ ← diag(scale)·W₁ and
// b₁ ← b₁ + W₁,timeᵀ·time. This changes rounding only, not the function.
#include "core/learned/mlp_step.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "core/parallel.h"
#include "core/simd.h"

// Multiply-adds may fuse here (the project builds with -ffp-contract=off): the MLP tiles are the
// hot loop and the js twin is compared with a tolerance, not bit for bit.
#pragma GCC optimize("fp-contract=fast")
#pragma GCC diagnostic ignored "-Wpsabi"

namespace ol::learned {
namespace {

typedef float v16 __attribute__((vector_size(64)));
typedef int32_t v16i __attribute__((vector_size(64)));

constexpr int kTile = 16;
constexpr int kDistinct = 22;
constexpr size_t kBlock = 4096;
constexpr size_t kSerialBelow = 1 << 15;
constexpr float kMomentumDecay[3] = {0.9f, 0.99f, 0.999f};
constexpr float kMomentumRest[3] = {static_cast<float>(1 - 0.9), static_cast<float>(1 - 0.99),
                                    static_cast<float>(1 - 0.999)};
constexpr float kRmsDecay = 0.999f, kRmsRest = static_cast<float>(1 - 0.999);
constexpr double kTimeScales[kTimeFeatures] = {1, 3, 10, 30, 100, 300, 1000, 3000, 1e4, 3e4, 1e5};
// The distinct feature each of the 28 reference features equals.
constexpr int kDistinctOf[kParamFeatures] = {0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13,
                                             14, 15, 13, 14, 15, 16, 17, 18, 16, 17, 18, 19, 20, 21};

// The 22 distinct raw features of parameter i (accumulators already updated), x[k · stride].
inline __attribute__((always_inline)) void rawFeatures(const float* p, const float* g, const float* acc, size_t n,
                                                       size_t i, float* x, size_t stride) {
  const float gi = g[i], pi = p[i];
  const float m0 = acc[i], m1 = acc[n + i], m2 = acc[2 * n + i], v = acc[3 * n + i];
  const float f0 = acc[4 * n + i], f1 = acc[5 * n + i], f2 = acc[6 * n + i];
  const float rv = 1.0f / std::sqrt(v + 1e-6f);
  const float m[3] = {m0, m1, m2}, vf[3] = {f0, f1, f2};
  x[0] = gi;
  x[stride] = pi;
  for (int j = 0; j < 3; ++j) x[(2 + j) * stride] = m[j];
  x[5 * stride] = v;
  for (int j = 0; j < 3; ++j) x[(6 + j) * stride] = m[j] * rv;
  x[9 * stride] = rv;
  for (int j = 0; j < 3; ++j) x[(10 + j) * stride] = gi / std::sqrt(std::max(vf[j] + 1e-9f, 1e-9f));
  for (int j = 0; j < 3; ++j) x[(13 + j) * stride] = vf[j];
  for (int j = 0; j < 3; ++j) x[(16 + j) * stride] = 1.0f / std::sqrt(vf[j] + 1e-8f);
  for (int j = 0; j < 3; ++j) x[(19 + j) * stride] = m[j] / std::sqrt(vf[j] + 1e-6f);
}

inline __attribute__((always_inline)) v16 load16(const float* a) {
  v16 r;
  std::memcpy(&r, a, sizeof r);
  return r;
}

// Lane-wise square root; with -fno-math-errno the loop becomes one vector sqrt in each clone.
inline __attribute__((always_inline)) v16 sqrt16(v16 a) {
  v16 r;
  for (int l = 0; l < kTile; ++l) r[l] = std::sqrt(a[l]);
  return r;
}

inline __attribute__((always_inline)) v16 max16(v16 a, float b) {
  v16 r;
  for (int l = 0; l < kTile; ++l) r[l] = std::max(a[l], b);
  return r;
}

// expf for 16 lanes (Cephes' expf: x = n·ln2 + r with |r| ≤ ln2/2, ln2 split in two for an exact
// reduction, a degree-5 polynomial for e^r − 1 − r, 2ⁿ built in the exponent bits): ≤ 2 ulp from
// the correctly rounded value, where the scalar std::exp of the tile's last loop cost about a fifth
// of the step. Inputs are clamped to [−87.3, 88] so 2ⁿ stays a normal float (std::exp would give
// up to FLT_MAX by 88.72: a step of e⁸⁸ is past any meaningful one).
inline __attribute__((always_inline)) v16 exp16(v16 x) {
  const v16 lo = v16{} - 87.3f, hi = v16{} + 88.0f;
  x = x < lo ? lo : x;
  x = x > hi ? hi : x;
  const v16 fx = x * 1.44269504088896341f + 0.5f;
  v16i n = __builtin_convertvector(fx, v16i);
  v16 fn = __builtin_convertvector(n, v16);
  n = fn > fx ? n - 1 : n;  // floor
  fn = __builtin_convertvector(n, v16);
  const v16 r = x - fn * 0.693359375f - fn * -2.12194440e-4f;
  v16 y = v16{} + 1.9875691500e-4f;
  y = y * r + 1.3981999507e-3f;
  y = y * r + 8.3334519073e-3f;
  y = y * r + 4.1665795894e-2f;
  y = y * r + 1.6666665459e-1f;
  y = y * r + 5.0000001201e-1f;
  y = y * (r * r) + r + 1.0f;
  const v16i bits = (n + 127) << 23;
  return y * reinterpret_cast<v16>(bits);
}

// rawFeatures for the full tile [i, i + 16), lane-parallel: the same float operations in the same
// order per parameter, so the result equals the scalar path bit for bit.
inline __attribute__((always_inline)) void tileFeatures(const float* p, const float* g, const float* acc, size_t n,
                                                        size_t i, v16* x) {
  const v16 gi = load16(g + i), pi = load16(p + i);
  const v16 m[3] = {load16(acc + i), load16(acc + n + i), load16(acc + 2 * n + i)};
  const v16 v = load16(acc + 3 * n + i);
  const v16 vf[3] = {load16(acc + 4 * n + i), load16(acc + 5 * n + i), load16(acc + 6 * n + i)};
  const v16 one = v16{} + 1.0f;
  const v16 rv = one / sqrt16(v + 1e-6f);
  x[0] = gi;
  x[1] = pi;
  for (int j = 0; j < 3; ++j) x[2 + j] = m[j];
  x[5] = v;
  for (int j = 0; j < 3; ++j) x[6 + j] = m[j] * rv;
  x[9] = rv;
  for (int j = 0; j < 3; ++j) x[10 + j] = gi / sqrt16(max16(vf[j] + 1e-9f, 1e-9f));
  for (int j = 0; j < 3; ++j) x[13 + j] = vf[j];
  for (int j = 0; j < 3; ++j) x[16 + j] = one / sqrt16(vf[j] + 1e-8f);
  for (int j = 0; j < 3; ++j) x[19 + j] = m[j] / sqrt16(vf[j] + 1e-6f);
}

// EMA updates of parameter range [b, e) and the squared raw features summed into sums[22]:
// elementwise EMA loops, then features per 16-wide tile summed in float lanes (at most 256 terms
// per lane in a block) and the lanes added in double at the end, in a fixed order.
OL_HOT_LOOP void accumulateRange(const float* p, const float* g, float* acc, size_t n, size_t b, size_t e,
                                 double* sums) {
  for (int j = 0; j < 3; ++j) {
    float* __restrict m = acc + j * n;
    float* __restrict vf = acc + (4 + j) * n;
    const float dm = kMomentumDecay[j], cm = kMomentumRest[j];
    for (size_t i = b; i < e; ++i) {
      const float gi = g[i];
      m[i] = dm * m[i] + cm * gi;
      vf[i] = dm * vf[i] + cm * (gi * gi + 1e-30f);
    }
  }
  float* __restrict v = acc + 3 * n;
  for (size_t i = b; i < e; ++i) v[i] = kRmsDecay * v[i] + kRmsRest * (g[i] * g[i]);
  alignas(64) float xs[kDistinct * kTile];
  v16 lanes[kDistinct];
  for (int k = 0; k < kDistinct; ++k) lanes[k] = v16{};
  v16 x[kDistinct];
  for (size_t t0 = b; t0 < e; t0 += kTile) {
    const size_t len = std::min<size_t>(kTile, e - t0);
    if (len == kTile) {
      tileFeatures(p, g, acc, n, t0, x);
    } else {
      std::memset(xs, 0, sizeof xs);
      for (size_t t = 0; t < len; ++t) rawFeatures(p, g, acc, n, t0 + t, xs + t, kTile);
      for (int k = 0; k < kDistinct; ++k) std::memcpy(&x[k], xs + k * kTile, sizeof(v16));
    }
    for (int k = 0; k < kDistinct; ++k) lanes[k] += x[k] * x[k];
  }
  for (int k = 0; k < kDistinct; ++k) {
    double s = 0;
    for (int l = 0; l < kTile; ++l) s += lanes[k][l];
    sums[k] += s;
  }
}

inline __attribute__((always_inline)) v16 relu(v16 h) {
  const v16i keep = h > v16{};
  return reinterpret_cast<v16>(reinterpret_cast<v16i>(h) & keep);
}

// out[o] = act(b[o] + Σ_k wt[o·nin + k] · in[k]) for 16 parameters at once, eight (then four)
// outputs per pass: each input vector is loaded once per eight multiply-adds, and eight independent
// accumulators cover the FMA latency × ports of current x86 cores (four left half of it idle).
inline __attribute__((always_inline)) void dense(const float* wt, const float* b, const v16* in, int nin, v16* out,
                                                 int nout, bool act) {
  int o = 0;
  for (; o + 8 <= nout; o += 8) {
    const float* w = wt + static_cast<size_t>(o) * nin;
    v16 a[8];
    for (int j = 0; j < 8; ++j) a[j] = v16{} + b[o + j];
    for (int k = 0; k < nin; ++k) {
      const v16 x = in[k];
      for (int j = 0; j < 8; ++j) a[j] += w[static_cast<size_t>(j) * nin + k] * x;
    }
    for (int j = 0; j < 8; ++j) out[o + j] = act ? relu(a[j]) : a[j];
  }
  for (; o + 4 <= nout; o += 4) {
    const float* w0 = wt + static_cast<size_t>(o) * nin;
    const float *w1 = w0 + nin, *w2 = w1 + nin, *w3 = w2 + nin;
    v16 a0 = v16{} + b[o], a1 = v16{} + b[o + 1], a2 = v16{} + b[o + 2], a3 = v16{} + b[o + 3];
    for (int k = 0; k < nin; ++k) {
      const v16 x = in[k];
      a0 += w0[k] * x;
      a1 += w1[k] * x;
      a2 += w2[k] * x;
      a3 += w3[k] * x;
    }
    out[o] = act ? relu(a0) : a0;
    out[o + 1] = act ? relu(a1) : a1;
    out[o + 2] = act ? relu(a2) : a2;
    out[o + 3] = act ? relu(a3) : a3;
  }
  for (; o < nout; ++o) {
    const float* w = wt + static_cast<size_t>(o) * nin;
    v16 a = v16{} + b[o];
    for (int k = 0; k < nin; ++k) a += w[k] * in[k];
    out[o] = act ? relu(a) : a;
  }
}

struct Block {
  size_t segment, begin, end;
};

struct Net {
  // Layer 0 per segment: wt [h₁ × 22] then b [h₁]; layers ≥ 1 shared: wt [out × in], b [out].
  std::vector<float> first;
  std::vector<std::vector<float>> wt, bias;
  std::vector<int> widths;
  int maxWidth = 0;
};

OL_HOT_LOOP void tileStep(float* p, const float* g, const float* acc, size_t n, size_t b, size_t e, const Net& net,
                          const float* first, float scale, float expMult, v16* bufA, v16* bufB) {
  const int layers = static_cast<int>(net.widths.size()) - 1;
  const int h1 = net.widths[1];
  alignas(64) float xs[kDistinct * kTile];
  v16 x[kDistinct];
  for (size_t t0 = b; t0 < e; t0 += kTile) {
    const size_t len = std::min<size_t>(kTile, e - t0);
    if (len == kTile) {
      tileFeatures(p, g, acc, n, t0, x);
    } else {
      std::memset(xs, 0, sizeof xs);
      for (size_t t = 0; t < len; ++t) rawFeatures(p, g, acc, n, t0 + t, xs + t, kTile);
      for (int k = 0; k < kDistinct; ++k) std::memcpy(&x[k], xs + k * kTile, sizeof(v16));
    }
    dense(first, first + static_cast<size_t>(h1) * kDistinct, x, kDistinct, bufA, h1, layers > 1);
    v16* cur = bufA;
    v16* nxt = bufB;
    for (int l = 1; l < layers; ++l) {
      dense(net.wt[l].data(), net.bias[l].data(), cur, net.widths[l], nxt, net.widths[l + 1], l + 1 < layers);
      std::swap(cur, nxt);
    }
    alignas(64) float d[kTile];
    const v16 step = (scale * cur[0]) * exp16(expMult * cur[1]);
    std::memcpy(d, &step, sizeof d);
    for (size_t t = 0; t < len; ++t) p[t0 + t] -= d[t];
  }
}

}  // namespace

void mlpStep(float* p, const float* g, float* acc, size_t n, const float* theta, const int32_t* widths,
             size_t numWidths, const uint32_t* segments, size_t numSegments, const float* multipliers,
             const MlpStepScalars& s) {
  Net net;
  net.widths.assign(widths, widths + numWidths);
  const int layers = static_cast<int>(numWidths) - 1;
  for (int w : net.widths) net.maxWidth = std::max(net.maxWidth, w);
  // θ offsets per layer; layers ≥ 1 transposed to [out × in] so each output reads its row.
  std::vector<size_t> offset(layers + 1, 0);
  for (int l = 0; l < layers; ++l)
    offset[l + 1] = offset[l] + static_cast<size_t>(widths[l]) * widths[l + 1] + widths[l + 1];
  net.wt.resize(layers);
  net.bias.resize(layers);
  for (int l = 1; l < layers; ++l) {
    const int nin = widths[l], nout = widths[l + 1];
    const float* w = theta + offset[l];
    net.wt[l].resize(static_cast<size_t>(nin) * nout);
    for (int i = 0; i < nin; ++i)
      for (int o = 0; o < nout; ++o) net.wt[l][static_cast<size_t>(o) * nin + i] = w[static_cast<size_t>(i) * nout + o];
    net.bias[l].assign(w + static_cast<size_t>(nin) * nout, w + static_cast<size_t>(nin) * nout + nout);
  }

  std::vector<Block> blocks;
  for (size_t sgi = 0; sgi < numSegments; ++sgi) {
    const size_t off = segments[2 * sgi], size = segments[2 * sgi + 1];
    for (size_t b = off; b < off + size; b += kBlock) blocks.push_back({sgi, b, std::min(off + size, b + kBlock)});
  }
  if (blocks.empty()) return;
  // Small buffers run on the calling thread: waking the pool costs more than the work.
  size_t total = 0;
  for (const Block& bl : blocks) total += bl.end - bl.begin;
  const size_t grain = total < kSerialBelow ? blocks.size() : 1;

  // Pass 1.
  std::vector<double> partial(blocks.size() * kDistinct, 0.0);
  parallelFor(blocks.size(), grain, [&](size_t b0, size_t b1) {
    for (size_t k = b0; k < b1; ++k)
      accumulateRange(p, g, acc, n, blocks[k].begin, blocks[k].end, &partial[k * kDistinct]);
  });

  // Per segment: the normalization scales and the time features folded into layer 0.
  const int h1 = widths[1];
  const size_t firstSize = static_cast<size_t>(h1) * (kDistinct + 1);
  net.first.assign(numSegments * firstSize, 0.0f);
  double time[kTimeFeatures];
  for (int k = 0; k < kTimeFeatures; ++k) time[k] = std::tanh(s.count / kTimeScales[k] - 1);
  std::vector<double> sums(numSegments * kDistinct, 0.0);
  for (size_t k = 0; k < blocks.size(); ++k)
    for (int f = 0; f < kDistinct; ++f) sums[blocks[k].segment * kDistinct + f] += partial[k * kDistinct + f];
  const float* w0 = theta;
  const float* b0 = theta + static_cast<size_t>(kInputs) * h1;
  for (size_t sgi = 0; sgi < numSegments; ++sgi) {
    const double size = segments[2 * sgi + 1];
    if (size == 0) continue;
    std::vector<double> wt(static_cast<size_t>(h1) * kDistinct, 0.0);
    for (int f = 0; f < kParamFeatures; ++f) {
      const double scale = 1.0 / std::sqrt(1e-5 + sums[sgi * kDistinct + kDistinctOf[f]] / size);
      for (int o = 0; o < h1; ++o)
        wt[static_cast<size_t>(o) * kDistinct + kDistinctOf[f]] += scale * w0[static_cast<size_t>(f) * h1 + o];
    }
    float* dst = &net.first[sgi * firstSize];
    for (size_t k = 0; k < wt.size(); ++k) dst[k] = static_cast<float>(wt[k]);
    for (int o = 0; o < h1; ++o) {
      double bias = b0[o];
      for (int k = 0; k < kTimeFeatures; ++k) bias += time[k] * w0[static_cast<size_t>(kParamFeatures + k) * h1 + o];
      dst[static_cast<size_t>(h1) * kDistinct + o] = static_cast<float>(bias);
    }
  }

  // Pass 2.
  parallelFor(blocks.size(), grain, [&](size_t k0, size_t k1) {
    // Activations of two layers, 64-byte aligned by hand (a vector<v16> need not be).
    std::vector<float> scratch(2 * static_cast<size_t>(net.maxWidth) * kTile + kTile);
    const auto base = (reinterpret_cast<uintptr_t>(scratch.data()) + 63) & ~uintptr_t{63};
    v16* bufA = reinterpret_cast<v16*>(base);
    v16* bufB = bufA + net.maxWidth;
    for (size_t k = k0; k < k1; ++k) {
      const Block& bl = blocks[k];
      const float scale = multipliers[bl.segment] * s.stepMult;
      tileStep(p, g, acc, n, bl.begin, bl.end, net, &net.first[bl.segment * firstSize], scale, s.expMult,
               bufA, bufB);
    }
  });
}

}  // namespace ol::learned
