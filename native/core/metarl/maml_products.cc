#include "core/metarl/maml_products.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/nn/activation.h"
#include "core/nn/gemm.h"
#include "core/parallel.h"

namespace ol::metarl {
namespace {

using nn::Activation;
using nn::gemmNN;

// Grow-only per-thread scratch (a pool thread keeps its buffers across calls).
struct Scratch {
  std::vector<float> zdot, adot, rda, rdaNext, rdz, dz, wt, vt, gy;
  std::vector<double> iv, hs;
};
Scratch& scratch() {
  thread_local Scratch s;
  return s;
}
float* grow(std::vector<float>& v, size_t n) {
  if (v.size() < n) v.resize(n);
  return v.data();
}

// One task's architecture view: widths, per-layer offsets into a task slab (z_l at zOff[l], a_l
// at zOff[l] + rows·out_l) and into the parameters.
struct Layers {
  const nn::MlpSpec& spec;
  size_t rows;
  int L;
  size_t in(int l) const { return static_cast<size_t>(spec.sizes[l]); }
  size_t out(int l) const { return static_cast<size_t>(spec.sizes[l + 1]); }
  Activation act(int l) const { return l == L - 1 ? spec.output : spec.hidden; }
  size_t slab(int l) const {  // offset of layer l's (z, a) pair in a slab
    size_t o = 0;
    for (int j = 0; j < l; ++j) o += 2 * rows * out(j);
    return o;
  }
  size_t tangent(int l) const {  // offset of layer l in the zdot / adot scratch
    size_t o = 0;
    for (int j = 0; j < l; ++j) o += rows * out(j);
    return o;
  }
};

// The per-task parameters' log-std factors e^{−2s}.
void inverseVariances(const float* s, size_t dim, std::vector<double>& iv) {
  iv.assign(dim, 0.0);
  for (size_t d = 0; d < dim; ++d) iv[d] = std::exp(-2.0 * static_cast<double>(s[d]));
}

// The inner loss's backward pass from the tape: da_{L−1} = gy, dz_l = f'(z_l) da_l,
// da_{l−1} = dz_l W_lᵀ.
void prepareBack(const Layers& ly, const float* th, const float* tape, const float* actions, const double* coef,
                 size_t dim, const std::vector<double>& iv, float* back) {
  Scratch& w = scratch();
  const int L = ly.L;
  const size_t rows = ly.rows;
  const float* mu = tape + ly.slab(L - 1) + rows * dim;
  float* daLast = back + ly.slab(L - 1);
  for (size_t r = 0; r < rows; ++r)
    for (size_t d = 0; d < dim; ++d) {
      const size_t i = r * dim + d;
      const double diff = static_cast<double>(actions[i]) - static_cast<double>(mu[i]);
      daLast[i] = static_cast<float>(-coef[r] * diff * iv[d]);
    }
  for (int l = L - 1; l >= 0; --l) {
    const size_t in = ly.in(l), out = ly.out(l), o = ly.slab(l);
    const float* z = tape + o;
    const float* a = z + rows * out;
    const float* da = back + o;
    float* dz = back + o + rows * out;
    nn::activationScale(ly.act(l), z, a, da, dz, rows * out);
    if (l > 0) {
      float* wt = grow(w.wt, in * out);
      nn::transpose(th + nn::mlpLayerOffset(ly.spec, l), in, out, wt);
      gemmNN(rows, in, out, dz, out, 1, wt, in, back + ly.slab(l - 1), in, false);
    }
  }
}

// out = H v for one task from its cached tape (and back for the Hessian).
void taskProduct(const Layers& ly, size_t P, size_t dim, MamlProduct mode, const float* th, const float* x,
                 const float* actions, const double* coef, const float* tape, const float* back, const float* v,
                 float* hv) {
  Scratch& w = scratch();
  const int L = ly.L;
  const size_t rows = ly.rows;
  const bool hess = mode == MamlProduct::kInnerHessian;
  const size_t tangentSize = ly.tangent(L);
  float* zdot = grow(w.zdot, tangentSize);
  float* adot = grow(w.adot, tangentSize);
  size_t maxW = 1;
  for (int l = 0; l <= L; ++l) maxW = std::max(maxW, static_cast<size_t>(ly.spec.sizes[l]));
  float* rda = grow(w.rda, rows * maxW);
  float* rdaNext = grow(w.rdaNext, rows * maxW);
  float* rdz = grow(w.rdz, rows * maxW);
  float* dzTmp = grow(w.dz, rows * maxW);
  // Tangent forward: zdot_l = adot_{l−1} W_l + a_{l−1} V_l + v_b, adot_l = f'(z_l) zdot_l.
  for (int l = 0; l < L; ++l) {
    const size_t in = ly.in(l), out = ly.out(l), off = nn::mlpLayerOffset(ly.spec, l);
    float* zd = zdot + ly.tangent(l);
    const float* vb = v + off + in * out;
    for (size_t r = 0; r < rows; ++r) std::copy(vb, vb + out, zd + r * out);
    const float* aPrev = l == 0 ? x : tape + ly.slab(l - 1) + rows * in;
    gemmNN(rows, out, in, aPrev, in, 1, v + off, out, zd, out, true);
    if (l > 0) gemmNN(rows, out, in, adot + ly.tangent(l - 1), in, 1, th + off, out, zd, out, true);
    const float* z = tape + ly.slab(l);
    nn::activationScale(ly.act(l), z, z + rows * out, zd, adot + ly.tangent(l), rows * out);
  }
  // The loss's output-space product hy (into rda) and the log-std block.
  inverseVariances(th + P, dim, w.iv);
  w.hs.assign(dim, 0.0);
  const float* mu = tape + ly.slab(L - 1) + rows * dim;
  const float* mudot = adot + ly.tangent(L - 1);
  const float* vs = v + P;
  double csum = 0;
  for (size_t r = 0; r < rows; ++r) {
    const double c = coef[r];
    csum += c;
    for (size_t d = 0; d < dim; ++d) {
      const size_t i = r * dim + d;
      const double iv = w.iv[d], u = mudot[i];
      if (!hess) {
        rda[i] = static_cast<float>(c * iv * u);
        continue;
      }
      const double diff = static_cast<double>(actions[i]) - static_cast<double>(mu[i]);
      const double lMuS = 2 * c * diff * iv;  // ∂²ℓ/∂μ∂s
      rda[i] = static_cast<float>(c * iv * u + lMuS * vs[d]);
      w.hs[d] += lMuS * u + 2 * c * diff * diff * iv * vs[d];
    }
  }
  // R-operator backward: rdz_l = f''(z_l) zdot_l da_l + f'(z_l) rda_l (Fisher: da = 0),
  // H_W = a_{l−1}ᵀ rdz_l + adot_{l−1}ᵀ dz_l, H_b = Σ_rows rdz_l, rda_{l−1} = rdz_l W_lᵀ + dz_l V_lᵀ.
  for (int l = L - 1; l >= 0; --l) {
    const size_t in = ly.in(l), out = ly.out(l), off = nn::mlpLayerOffset(ly.spec, l), o = ly.slab(l);
    const float* z = tape + o;
    const float* a = z + rows * out;
    const float* dz = hess ? back + o + rows * out : nullptr;
    if (hess)
      nn::activationRBackward(ly.act(l), z, a, zdot + ly.tangent(l), back + o, rda, dzTmp, rdz, rows * out);
    else
      nn::activationScale(ly.act(l), z, a, rda, rdz, rows * out);
    const float* aPrev = l == 0 ? x : tape + ly.slab(l - 1) + rows * in;
    gemmNN(in, out, rows, aPrev, 1, in, rdz, out, hv + off, out, false);
    if (hess && l > 0) gemmNN(in, out, rows, adot + ly.tangent(l - 1), 1, in, dz, out, hv + off, out, true);
    float* hb = hv + off + in * out;
    std::fill(hb, hb + out, 0.0f);
    for (size_t r = 0; r < rows; ++r)
      for (size_t j = 0; j < out; ++j) hb[j] += rdz[r * out + j];
    if (l > 0) {
      float* wt = grow(w.wt, in * out);
      nn::transpose(th + off, in, out, wt);
      gemmNN(rows, in, out, rdz, out, 1, wt, in, rdaNext, in, false);
      if (hess) {
        float* vt = grow(w.vt, in * out);
        nn::transpose(v + off, in, out, vt);
        gemmNN(rows, in, out, dz, out, 1, vt, in, rdaNext, in, true);
      }
      std::swap(rda, rdaNext);
    }
  }
  for (size_t d = 0; d < dim; ++d) hv[P + d] = static_cast<float>(hess ? w.hs[d] : 2 * csum * vs[d]);
}

template <class F>
void forTasks(int tasks, const int32_t* rowStart, F&& fn) {
  parallelFor(
      static_cast<size_t>(tasks), 1,
      [&](size_t t0, size_t t1) {
        for (size_t t = t0; t < t1; ++t) {
          const auto r0 = static_cast<size_t>(rowStart[t]);
          fn(t, r0, static_cast<size_t>(rowStart[t + 1]) - r0);
        }
      },
      4);
}

}  // namespace

size_t mamlTapeWidth(const nn::MlpSpec& spec) {
  size_t w = 0;
  for (int l = 0; l < spec.numLayers; ++l) w += 2 * static_cast<size_t>(spec.sizes[l + 1]);
  return w;
}

void mamlGaussianPrepare(const nn::MlpSpec& spec, int tasks, int dim, const float* params, const float* x,
                         const int32_t* rowStart, const float* actions, const double* coef, float* tape, float* back) {
  const size_t P = nn::mlpParamCount(spec), D = static_cast<size_t>(dim), S = P + D;
  const size_t in0 = static_cast<size_t>(spec.sizes[0]), width = mamlTapeWidth(spec);
  forTasks(tasks, rowStart, [&](size_t t, size_t r0, size_t rows) {
    if (rows == 0) return;
    const float* th = params + t * S;
    float* tp = tape + r0 * width;
    nn::mlpForwardTape(spec, th, x + r0 * in0, rows, tp);
    if (back == nullptr) return;
    std::vector<double>& iv = scratch().iv;
    inverseVariances(th + P, D, iv);
    prepareBack(Layers{spec, rows, spec.numLayers}, th, tp, actions + r0 * D, coef + r0, D, iv, back + r0 * width);
  });
}

void mamlGaussianProducts(const nn::MlpSpec& spec, int tasks, int dim, MamlProduct mode, const float* params,
                          const float* x, const int32_t* rowStart, const float* actions, const double* coef,
                          const float* tape, const float* back, const float* v, float* out) {
  const size_t P = nn::mlpParamCount(spec), D = static_cast<size_t>(dim), S = P + D;
  const size_t in0 = static_cast<size_t>(spec.sizes[0]), width = mamlTapeWidth(spec);
  forTasks(tasks, rowStart, [&](size_t t, size_t r0, size_t rows) {
    float* o = out + t * S;
    if (rows == 0) {
      std::fill(o, o + S, 0.0f);
      return;
    }
    taskProduct(Layers{spec, rows, spec.numLayers}, P, D, mode, params + t * S, x + r0 * in0, actions + r0 * D,
                coef + r0, tape + r0 * width, back != nullptr ? back + r0 * width : nullptr, v + t * S, o);
  });
}

}  // namespace ol::metarl
