// Optimizer steps over flat float32 buffers: one fused, in-place pass per call.
// Every kernel computes in float32 with the update math of the reference its file names;
// per-step scalars (bias corrections, schedules, products of momenta) are computed once per
// step in double by the caller and passed in, so the hot loops hold no pow/exp of the step.
// Optional buffers are passed as nullptr. Elementwise kernels give the same result for every
// thread count; reductions use the fixed blocks of core/vec/vec.h.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ol::optim {

// sgd.cc — torch.optim.SGD (coupled weight decay; momentum buffer set to the gradient on the first step).
void sgd(float* p, const float* g, size_t n, float lr, float weightDecay);
void sgdMomentum(float* p, const float* g, float* buf, size_t n, float lr, double momentum, double dampening,
                 float weightDecay, bool nesterov, bool first);

// adagrad.cc — torch.optim.Adagrad (lr already divided by 1 + (t-1)·lrDecay).
void adagrad(float* p, const float* g, float* sum, size_t n, float lr, float eps, float weightDecay);
// adadelta.cc — torch.optim.Adadelta.
void adadelta(float* p, const float* g, float* sqAvg, float* accDelta, size_t n, float lr, double rho, float eps,
              float weightDecay);
// rmsprop.cc — torch.optim.RMSprop (gAvg != nullptr: centered; buf != nullptr: momentum).
void rmsprop(float* p, const float* g, float* sqAvg, float* gAvg, float* buf, size_t n, float lr, double decay,
             float eps, float momentum, float weightDecay);

// adam.cc — torch.optim.Adam / AdamW (vMax != nullptr: AMSGrad, torch convention: max over raw v).
// p ← p·decay − stepSize · m / (sqrt(v)·invBc2Sqrt + eps), g ← g + weightDecay·p first.
struct AdamScalars {
  double b1, b2;  // complements 1 − b are taken in double, before rounding
  float eps;
  float stepSize;     // lr / (1 − b1^t)
  float invBc2Sqrt;   // 1 / sqrt(1 − b2^t)
  float weightDecay;  // coupled (L2) decay added to the gradient
  float decay;        // decoupled decay factor 1 − lr·wd (1 for none)
};
void adam(float* p, const float* g, float* m, float* v, float* vMax, size_t n, const AdamScalars& s);
// XGrad weight prediction for Adam: out ← p − stepSize·m/(sqrt(v)·invBc2Sqrt + eps) (state not advanced).
void adamPredict(const float* p, const float* m, const float* v, float* out, size_t n, float stepSize,
                 float invBc2Sqrt, float eps);
// adamax.cc — torch.optim.Adamax.
void adamax(float* p, const float* g, float* m, float* u, size_t n, double b1, float b2, float eps, float stepSize,
            float weightDecay);
// nadam.cc — torch.optim.NAdam: p ← p·decay − gradCoef·g/d − momCoef·m/d, d = sqrt(v·invBc2) + eps.
void nadam(float* p, const float* g, float* m, float* v, size_t n, double b1, double b2, float eps, float invBc2,
           float gradCoef, float momCoef, float weightDecay, float decay);
// yogi.cc — optax.scale_by_yogi: p ← p − stepSize·m/(sqrt(v·invBc2) + eps), stepSize = lr/bc1.
void yogi(float* p, const float* g, float* m, float* v, size_t n, double b1, double b2, float eps, float stepSize,
          float invBc2);
// grams.cc — Grams (arXiv 2412.17107 §4.1 formula): p ← p·decay − stepSize·sign(g)·|m/(sqrt(v)·invBc2Sqrt + eps)|.
void grams(float* p, const float* g, float* m, float* v, size_t n, double b1, double b2, float eps, float stepSize,
           float invBc2Sqrt, float decay);
// diffgrad.cc — shivram1987/diffGrad diffGrad_v2.py: stepSize = lr·sqrt(bc2)/bc1.
void diffgrad(float* p, const float* g, float* m, float* v, float* gPrev, size_t n, double b1, double b2, float eps,
              float stepSize, float weightDecay);
// lion.cc — google/automl lion_pytorch.py: decay = 1 − lr·wd.
void lion(float* p, const float* g, float* m, size_t n, float lr, double b1, double b2, float decay);

// novograd.cc — optax.scale_by_novograd with per-segment second moments nu (double).
// segments: pairs (offset, size). first: the first step initialises nu and m.
void novograd(float* p, const float* g, float* m, double* nu, const uint32_t* segments, size_t numSegments,
              size_t n, float lr, float b1, double b2, float eps, float weightDecay, bool first);
// madgrad.cc — facebookresearch/madgrad madgrad.py (x0 == nullptr: momentum 0, x0 reconstructed).
// lr is the reference's lr + eps; lamb = lr·sqrt(k+1).
void madgrad(float* p, const float* g, float* s, float* nu, float* x0, size_t n, float lr, float lamb, float eps,
             double momentum, float weightDecay, bool decoupled);
// optimistic_amsgrad.cc — Optimistic-AMSGrad (arXiv 1903.01435, Algorithm 1); guess = the caller's
// prediction m_{t+1} of the next gradient.
void optimisticAmsgrad(float* p, const float* g, const float* guess, float* m, float* v, float* vHat, float* wHalf,
                       size_t n, float lr, double b1, double b2);
// gravity.cc — dariush-bahrami/gravity.optimizer (Keras), per segment max|g|.
void gravity(float* p, const float* g, float* vel, const uint32_t* segments, size_t numSegments, size_t n, float lr,
             double betaHat);
// aegd.cc — txping/AEGD aegd.py: gradScale = 1/(2·sqrt(f + c)).
void aegd(float* p, const float* g, float* energy, size_t n, float lr, float gradScale, float weightDecay);
// swats.cc — SWATS Adam phase (Keskar & Socher 2017): p_k = −stepSize·m/(sqrt(a)+eps), returns
// dots[0] = p_kᵀp_k and dots[1] = p_kᵀg (g after weight decay).
void swatsAdam(float* p, const float* g, float* m, float* a, size_t n, double b1, double b2, float eps, float stepSize,
               float weightDecay, double* dots);
// complex_momentum.cc — Lorraine et al. 2022: μ ← βμ − g (β complex), p ← p + lr·Re(μ).
void complexMomentum(float* p, const float* g, float* muRe, float* muIm, size_t n, float lr, float betaRe,
                     float betaIm);

// grokfast.cc — ironjr/grokfast gradfilter_ema: μ ← αμ + (1−α)g (μ = g first), g ← g + λμ.
void grokfastEma(float* g, float* mu, size_t n, double alpha, float lamb, bool first);
// clip.cc — elementwise clip of a gradient to [lo, hi].
void clipByValue(float* g, size_t n, float lo, float hi);
// lookahead.cc — slow ← slow + α(fast − slow); fast ← slow.
void lookaheadSync(float* fast, float* slow, size_t n, float alpha);
// bandwidth.cc — STREAM-style kernels for measuring memory bandwidth.
void streamCopy(float* dst, const float* src, size_t n);
void streamTriad(float* a, const float* b, const float* c, size_t n, float s);

}  // namespace ol::optim
