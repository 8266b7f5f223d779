#include "core/nn/mlp.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "core/nn/activation.h"
#include "core/nn/gemm.h"
#include "core/parallel.h"

namespace ol::nn {
namespace {

// Rows a forward block carries through all layers (keeps the activations in L2).
constexpr size_t kRowBlock = 64;
// Multiply-adds a thread task should have at least (a pool hand-off costs a few microseconds).
constexpr size_t kTaskMacs = 1 << 15;
// Weight-gradient rows per parallel work item.
constexpr size_t kParamRowTile = 24;

inline size_t inW(const MlpSpec& s, int l) { return static_cast<size_t>(s.sizes[l]); }
inline size_t outW(const MlpSpec& s, int l) { return static_cast<size_t>(s.sizes[l + 1]); }
inline Activation actOf(const MlpSpec& s, int l) { return l == s.numLayers - 1 ? s.output : s.hidden; }

size_t macsPerRow(const MlpSpec& s) {
  size_t m = 0;
  for (int l = 0; l < s.numLayers; ++l) m += inW(s, l) * outW(s, l);
  return m;
}
size_t rowGrain(const MlpSpec& s) { return std::max<size_t>(1, kTaskMacs / std::max<size_t>(1, macsPerRow(s))); }

// z[rows x out] = a[rows x in] W + b (the bias first, then the products in order of k).
void affine(const float* a, size_t rows, size_t in, size_t out, const float* W, const float* b, float* z,
            bool accumulate = false) {
  if (!accumulate)
    for (size_t r = 0; r < rows; ++r) std::memcpy(z + r * out, b, out * sizeof(float));
  gemmNN(rows, out, in, a, in, 1, W, out, z, out, true);
}

size_t tapeLayer(const MlpSpec& s, size_t batch, bool tangent, int l) {
  size_t off = 0;
  for (int k = 0; k < l; ++k) off += (tangent ? 4 : 2) * batch * outW(s, k);
  return off;
}

// One layer's parts of a tape, each [batch x out_l] (zdot, adot only in a tangent tape). T is
// float for the forward passes that fill a tape and const float for the passes that read it.
template <class T>
struct TapeView {
  T* z;
  T* zdot;
  T* a;
  T* adot;
};
template <class T>
TapeView<T> tapeView(const MlpSpec& s, size_t batch, bool tangent, T* tape, int l) {
  T* base = tape + tapeLayer(s, batch, tangent, l);
  size_t n = batch * outW(s, l);
  if (!tangent) return {base, nullptr, base + n, nullptr};
  return {base, base + n, base + 2 * n, base + 3 * n};
}
// What layer l reads: the previous layer's activations (and their tangents), or x for layer 0.
TapeView<const float> layerInput(const MlpSpec& s, size_t batch, bool tangent, const float* tape, const float* x,
                                 int l) {
  if (l == 0) return {nullptr, nullptr, x, nullptr};
  return tapeView(s, batch, tangent, tape, l - 1);
}

// Scratch that grows and is reused: kernels are called in hot loops.
std::vector<float>& scratch(int which) {
  thread_local std::vector<float> bufs[4];
  return bufs[which];
}
float* scratchData(int which, size_t n) {
  std::vector<float>& v = scratch(which);
  if (v.size() < n) v.resize(n);
  return v.data();
}
enum Scratch { kForwardRows = 0, kTape = 1, kBackward = 2, kBatched = 3 };

// Transposed weights of every layer, each W_l^T [out x in] at the layer's W offset.
void transposeWeights(const MlpSpec& s, const float* params, float* dst) {
  for (int l = 0; l < s.numLayers; ++l) {
    size_t off = mlpLayerOffset(s, l);
    transpose(params + off, inW(s, l), outW(s, l), dst + off);
  }
}

size_t sumOut(const MlpSpec& s) {
  size_t n = 0;
  for (int l = 0; l < s.numLayers; ++l) n += outW(s, l);
  return n;
}

// Parameter-row work items of the weight-gradient pass: (layer, first row, row count); a row
// count of 0 stands for the layer's bias.
struct ParamItem {
  int layer;
  size_t row, rows;
};
// Filled into grow-only thread_local storage: no allocation once warm (the meta kernels call the
// backward passes thousands of times per second on tiny batches).
const std::vector<ParamItem>& paramItems(const MlpSpec& s) {
  thread_local std::vector<ParamItem> items;
  items.clear();
  for (int l = s.numLayers - 1; l >= 0; --l) {
    items.push_back({l, 0, 0});
    for (size_t r = 0; r < inW(s, l); r += kParamRowTile) items.push_back({l, r, std::min(kParamRowTile, inW(s, l) - r)});
  }
  return items;
}

// Offsets of each layer's dz block [batch x out_l] inside one buffer (thread_local, grow-only).
const size_t* dzOffsets(const MlpSpec& s, size_t batch) {
  thread_local std::vector<size_t> off;
  off.resize(static_cast<size_t>(s.numLayers));
  size_t o = 0;
  for (int l = 0; l < s.numLayers; ++l) {
    off[static_cast<size_t>(l)] = o;
    o += batch * outW(s, l);
  }
  return off.data();
}

// Runs fn(begin, end) over the parameter work items: on the pool when the pass is big enough to
// pay for the hand-off, inline otherwise (each item is computed the same way either way).
template <class F>
void forParamItems(const MlpSpec& s, size_t batch, size_t items, F&& fn) {
  if (batch * macsPerRow(s) < 2 * kTaskMacs) {
    fn(size_t{0}, items);
    return;
  }
  parallelFor(items, 1, fn, 8);
}

// out[j] = sum over b of d[b*n + j], b in order.
void columnSums(const float* d, size_t batch, size_t n, float* out, bool accumulate) {
  if (!accumulate) std::fill(out, out + n, 0.0f);
  for (size_t b = 0; b < batch; ++b) {
    const float* row = d + b * n;
    for (size_t j = 0; j < n; ++j) out[j] += row[j];
  }
}

// Row passes split the batch into several chunks per thread: on a shared machine a thread that
// loses its core for a while then holds up less of the pass (rows are independent, so results do
// not depend on the split).
constexpr int kRowOversplit = 4;
template <class F>
void rowsParallel(size_t batch, size_t grain, F&& fn) {
  parallelFor(batch, grain, fn, kRowOversplit);
}

// Runs body(begin, end) over [b, e) in blocks of kRowBlock rows, so a block's activations stay
// in cache from one layer to the next.
template <class F>
void rowBlocks(size_t b, size_t e, F&& body) {
  for (size_t r0 = b; r0 < e; r0 += kRowBlock) body(r0, std::min(e, r0 + kRowBlock));
}

// Runs fn(task, first row, rows) for every task of a batched call, one task per pool item: a
// task's own kernels then run inline on that thread (single-threaded), so results match separate
// calls.
template <class F>
void forTasks(int tasks, const int32_t* rowStart, F&& fn) {
  parallelFor(static_cast<size_t>(tasks), 1, [&](size_t t0, size_t t1) {
    for (size_t t = t0; t < t1; ++t) {
      const auto r0 = static_cast<size_t>(rowStart[t]);
      fn(t, r0, static_cast<size_t>(rowStart[t + 1]) - r0);
    }
  });
}

// ---- The tape passes, plain (kTangent false) and with the R-operator's tangents (true) ----------
// The tangent passes do about three times the work per row.
size_t passGrain(const MlpSpec& s, bool tangent) {
  return tangent ? std::max<size_t>(1, rowGrain(s) / 3) : rowGrain(s);
}

// Rows [b, e) forward, layer by layer: z = a_prev W + b, a = f(z); with kTangent also
// zdot = a_prev V + v_b (+ adot_prev W) and adot = f'(z) zdot.
template <bool kTangent>
void forwardTapeRows(const MlpSpec& s, const float* params, const float* v, const float* x, size_t batch, float* tape,
                     size_t b, size_t e) {
  const size_t rows = e - b;
  const float* prev = x + b * inW(s, 0);
  const float* prevDot = nullptr;  // the input has no tangent
  for (int l = 0; l < s.numLayers; ++l) {
    const size_t off = mlpLayerOffset(s, l), in = inW(s, l), out = outW(s, l);
    const TapeView<float> t = tapeView(s, batch, kTangent, tape, l);
    float* z = t.z + b * out;
    float* a = t.a + b * out;
    affine(prev, rows, in, out, params + off, params + off + in * out, z);
    activate(actOf(s, l), z, a, rows * out);
    if constexpr (kTangent) {
      float* zdot = t.zdot + b * out;
      float* adot = t.adot + b * out;
      affine(prev, rows, in, out, v + off, v + off + in * out, zdot);
      if (prevDot != nullptr) gemmNN(rows, out, in, prevDot, in, 1, params + off, out, zdot, out, true);
      activationScale(actOf(s, l), z, a, zdot, adot, rows * out);
      prevDot = adot;
    }
    prev = a;
  }
}

template <bool kTangent>
void forwardTape(const MlpSpec& s, const float* params, const float* v, const float* x, size_t batch, float* tape) {
  rowsParallel(batch, passGrain(s, kTangent), [&](size_t b0, size_t e0) {
    rowBlocks(b0, e0, [&](size_t b, size_t e) { forwardTapeRows<kTangent>(s, params, v, x, batch, tape, b, e); });
  });
}

// Scratch of one backward pass. dz (and rdz) hold every layer's block, at dzOff[l]; da (and rda)
// are two ping-pong row buffers [batch x maxW]. The r* parts and vt exist only with kTangent.
struct BackwardBufs {
  const float* wt;  // W^T of every layer, at the layer's W offset
  const float* vt;  // V^T likewise
  float* dz;
  float* rdz;
  float* da;
  float* rda;
  const size_t* dzOff;
  size_t maxW;
};

// Rows [b, e) backward, layer by layer from the output: dz = f'(z) da, da_prev = dz W^T (into
// gInputs below layer 0 when not null); with kTangent also rdz = f''(z) zdot da + f'(z) rda and
// rda_prev = rdz W^T + dz V^T (and gInputs must be null).
template <bool kTangent>
void backwardRows(const MlpSpec& s, size_t batch, const float* tape, const float* gy, const float* hy, float* gInputs,
                  const BackwardBufs& w, size_t b, size_t e) {
  const size_t rows = e - b, outL = outW(s, s.numLayers - 1);
  const float* da = gy + b * outL;
  const float* rda = kTangent ? hy + b * outL : nullptr;
  for (int l = s.numLayers - 1; l >= 0; --l) {
    const size_t in = inW(s, l), out = outW(s, l), off = mlpLayerOffset(s, l);
    const TapeView<const float> t = tapeView(s, batch, kTangent, tape, l);
    float* dz = w.dz + w.dzOff[l] + b * out;
    float* rdz = kTangent ? w.rdz + w.dzOff[l] + b * out : nullptr;
    if constexpr (kTangent)
      activationRBackward(actOf(s, l), t.z + b * out, t.a + b * out, t.zdot + b * out, da, rda, dz, rdz, rows * out);
    else
      activationScale(actOf(s, l), t.z + b * out, t.a + b * out, da, dz, rows * out);
    if (l == 0 && gInputs == nullptr) break;
    // Row b starts at b * maxW, not b * in: another thread's block may be at a layer of another width.
    const size_t slot = (static_cast<size_t>(l % 2) * batch + b) * w.maxW;
    float* daNext = l > 0 ? w.da + slot : gInputs + b * in;
    gemmNN(rows, in, out, dz, out, 1, w.wt + off, in, daNext, in, false);
    if constexpr (kTangent) {
      float* rdaNext = w.rda + slot;
      gemmNN(rows, in, out, rdz, out, 1, w.wt + off, in, rdaNext, in, false);
      gemmNN(rows, in, out, dz, out, 1, w.vt + off, in, rdaNext, in, true);
      rda = rdaNext;
    }
    da = daNext;
  }
}

// One parameter work item, its weight rows summed over the batch in order: gW = a_prev^T dz and
// gb = column sums of dz into g (when not null); with kTangent also hvW = a_prev^T rdz +
// adot_prev^T dz and hvb = column sums of rdz into hv.
template <bool kTangent>
void backwardParams(const MlpSpec& s, const float* x, size_t batch, const float* tape, const BackwardBufs& w,
                    const ParamItem& it, float* g, float* hv) {
  const int l = it.layer;
  const size_t in = inW(s, l), out = outW(s, l), off = mlpLayerOffset(s, l);
  const float* dz = w.dz + w.dzOff[l];
  const float* rdz = kTangent ? w.rdz + w.dzOff[l] : nullptr;
  if (it.rows == 0) {
    if constexpr (kTangent) columnSums(rdz, batch, out, hv + off + in * out, false);
    if (g != nullptr) columnSums(dz, batch, out, g + off + in * out, false);
    return;
  }
  const TapeView<const float> prev = layerInput(s, batch, kTangent, tape, x, l);
  if constexpr (kTangent) {
    float* dst = hv + off + it.row * out;
    gemmNN(it.rows, out, batch, prev.a + it.row, 1, in, rdz, out, dst, out, false);
    if (prev.adot != nullptr) gemmNN(it.rows, out, batch, prev.adot + it.row, 1, in, dz, out, dst, out, true);
  }
  if (g != nullptr) gemmNN(it.rows, out, batch, prev.a + it.row, 1, in, dz, out, g + off + it.row * out, out, false);
}

// The backward pass from a tape (plain, or with kTangent Pearlmutter's R-operator): rows first,
// then the parameter items from the dz (and rdz) blocks the rows left.
template <bool kTangent>
void backward(const MlpSpec& s, const float* params, const float* v, const float* x, size_t batch, const float* tape,
              const float* gy, const float* hy, float* gParams, float* gInputs, float* hv) {
  constexpr size_t k = kTangent ? 2 : 1;  // kTangent doubles every part of the scratch
  const size_t P = mlpParamCount(s), S = batch * sumOut(s), maxW = static_cast<size_t>(mlpMaxWidth(s));
  const size_t D = batch * maxW;
  // Scratch: W^T | V^T | dz | rdz | da pair | rda pair.
  float* wt = scratchData(kBackward, k * (P + S + 2 * D));
  float* vt = kTangent ? wt + P : nullptr;
  float* dz = wt + k * P;
  float* da = dz + k * S;
  const BackwardBufs w{wt, vt, dz, kTangent ? dz + S : nullptr, da, kTangent ? da + 2 * D : nullptr,
                       dzOffsets(s, batch), maxW};
  transposeWeights(s, params, wt);
  if constexpr (kTangent) transposeWeights(s, v, vt);

  rowsParallel(batch, passGrain(s, kTangent), [&](size_t b0, size_t e0) {
    rowBlocks(b0, e0, [&](size_t b, size_t e) { backwardRows<kTangent>(s, batch, tape, gy, hy, gInputs, w, b, e); });
  });

  const std::vector<ParamItem>& items = paramItems(s);
  forParamItems(s, batch, items.size(), [&](size_t i0, size_t i1) {
    for (size_t i = i0; i < i1; ++i) backwardParams<kTangent>(s, x, batch, tape, w, items[i], gParams, hv);
  });
}

}  // namespace

size_t mlpParamCount(const MlpSpec& spec) { return mlpLayerOffset(spec, spec.numLayers); }

size_t mlpLayerOffset(const MlpSpec& spec, int layer) {
  size_t off = 0;
  for (int l = 0; l < layer; ++l) off += inW(spec, l) * outW(spec, l) + outW(spec, l);
  return off;
}

int mlpMaxWidth(const MlpSpec& spec) {
  int m = 1;
  for (int l = 0; l <= spec.numLayers; ++l) m = std::max(m, static_cast<int>(spec.sizes[l]));
  return m;
}

size_t mlpForwardWorkspace(const MlpSpec& spec, size_t batch) {
  return 2 * std::min(batch, kRowBlock) * static_cast<size_t>(mlpMaxWidth(spec));
}

void mlpForwardRows(const MlpSpec& spec, const float* params, const float* x, size_t batch, float* y,
                    float* workspace) {
  const int L = spec.numLayers;
  const size_t in0 = inW(spec, 0), outL = outW(spec, L - 1);
  const size_t block = std::min(batch, kRowBlock);
  const size_t maxW = static_cast<size_t>(mlpMaxWidth(spec));
  for (size_t r0 = 0; r0 < batch; r0 += kRowBlock) {
    const size_t rows = std::min(kRowBlock, batch - r0);
    const float* cur = x + r0 * in0;
    for (int l = 0; l < L; ++l) {
      const size_t off = mlpLayerOffset(spec, l);
      const size_t in = inW(spec, l), out = outW(spec, l);
      float* dst = l == L - 1 ? y + r0 * outL : workspace + static_cast<size_t>(l % 2) * block * maxW;
      gemmBiasAct(rows, out, in, cur, in, params + off, out, params + off + in * out, dst, out, actOf(spec, l));
      cur = dst;
    }
  }
}

void mlpForward(const MlpSpec& spec, const float* params, const float* x, size_t batch, float* y) {
  const size_t in0 = inW(spec, 0), outL = outW(spec, spec.numLayers - 1);
  rowsParallel(batch, rowGrain(spec), [&](size_t b, size_t e) {
    float* ws = scratchData(kForwardRows, mlpForwardWorkspace(spec, e - b));
    mlpForwardRows(spec, params, x + b * in0, e - b, y + b * outL, ws);
  });
}

size_t mlpTapeSize(const MlpSpec& spec, size_t batch, bool tangent) {
  return tapeLayer(spec, batch, tangent, spec.numLayers);
}

size_t mlpTapeOutput(const MlpSpec& spec, size_t batch, bool tangent) {
  const int l = spec.numLayers - 1;
  return tapeLayer(spec, batch, tangent, l) + (tangent ? 2 : 1) * batch * outW(spec, l);
}

void mlpForwardTape(const MlpSpec& spec, const float* params, const float* x, size_t batch, float* tape) {
  forwardTape<false>(spec, params, nullptr, x, batch, tape);
}

void mlpForwardTangentTape(const MlpSpec& spec, const float* params, const float* x, size_t batch, const float* v,
                           float* tape) {
  forwardTape<true>(spec, params, v, x, batch, tape);
}

void mlpBackwardTape(const MlpSpec& spec, const float* params, const float* x, size_t batch, const float* tape,
                     const float* dy, float* gParams, float* gInputs) {
  backward<false>(spec, params, nullptr, x, batch, tape, dy, nullptr, gParams, gInputs, nullptr);
}

void mlpHvpBackwardTape(const MlpSpec& spec, const float* params, const float* x, size_t batch, const float* v,
                        const float* tape, const float* gy, const float* hy, float* hv, float* gParams) {
  backward<true>(spec, params, v, x, batch, tape, gy, hy, gParams, nullptr, hv);
}

void mlpVjp(const MlpSpec& spec, const float* params, const float* x, size_t batch, const float* dy, float* gParams,
            float* gInputs) {
  float* tape = scratchData(kTape, mlpTapeSize(spec, batch, false));
  mlpForwardTape(spec, params, x, batch, tape);
  mlpBackwardTape(spec, params, x, batch, tape, dy, gParams, gInputs);
}

void mlpJvp(const MlpSpec& spec, const float* params, const float* x, size_t batch, const float* v, float* y,
            float* ydot) {
  float* tape = scratchData(kTape, mlpTapeSize(spec, batch, true));
  mlpForwardTangentTape(spec, params, x, batch, v, tape);
  const size_t n = batch * outW(spec, spec.numLayers - 1);
  const float* out = tape + mlpTapeOutput(spec, batch, true);
  if (y != nullptr) std::memcpy(y, out, n * sizeof(float));
  std::memcpy(ydot, out + n, n * sizeof(float));
}

void mlpForwardBatched(const MlpSpec& spec, int tasks, const float* params, const float* x, const int32_t* rowStart,
                       float* y) {
  const size_t P = mlpParamCount(spec), in0 = inW(spec, 0), outL = outW(spec, spec.numLayers - 1);
  forTasks(tasks, rowStart, [&](size_t t, size_t r0, size_t rows) {
    float* ws = scratchData(kBatched, mlpForwardWorkspace(spec, rows));
    mlpForwardRows(spec, params + t * P, x + r0 * in0, rows, y + r0 * outL, ws);
  });
}

void mlpVjpBatched(const MlpSpec& spec, int tasks, const float* params, const float* x, const int32_t* rowStart,
                   const float* dy, float* gParams, float* gInputs) {
  const size_t P = mlpParamCount(spec), in0 = inW(spec, 0), outL = outW(spec, spec.numLayers - 1);
  forTasks(tasks, rowStart, [&](size_t t, size_t r0, size_t rows) {
    if (rows == 0) {
      std::fill(gParams + t * P, gParams + (t + 1) * P, 0.0f);
      return;
    }
    mlpVjp(spec, params + t * P, x + r0 * in0, rows, dy + r0 * outL, gParams + t * P,
           gInputs != nullptr ? gInputs + r0 * in0 : nullptr);
  });
}

}  // namespace ol::nn
