// optim: N-API glue for the fused optimizer steps (native/core/optim). Every step updates its
// buffers in place; all buffers of one call have the length of `params`; an optional buffer (`?`)
// is passed as an empty Float32Array. The table at the bottom names each export and its JS
// signature. Kernels with many scalars take them as one object, read before any buffer so that
// a getter cannot detach a buffer the kernel already holds.
#include <string>

#include "core/optim/optim.h"
#include "napi/args.h"
#include "napi/kernel.h"
#include "napi/register.h"

namespace ol::napi {
namespace {

float* buf(const Info& info, size_t i, const char* name, size_t n) {
  return typedArray<float>(info, i, name, n).data;
}
// An optional buffer: empty means absent (nullptr), otherwise it must have length n.
float* optBuf(const Info& info, size_t i, const char* name, size_t n) {
  ArrayArg<float> a = typedArray<float>(info, i, name);
  if (a.length == 0) return nullptr;
  requireLength(info.Env(), a.length, n, name);
  return a.data;
}
float f32(const Info& info, size_t i, const char* name) { return static_cast<float>(number(info, i, name)); }

// (offset, size) pairs inside [0, n); returns the pair count.
size_t segmentsArg(const Info& info, size_t i, size_t n, const uint32_t** out) {
  ArrayArg<uint32_t> s = typedArray<uint32_t>(info, i, "segments");
  if (s.length % 2 != 0) throwRange(info.Env(), "segments: expected (offset, size) pairs, got an odd length");
  for (size_t k = 0; k < s.length; k += 2) {
    uint64_t end = static_cast<uint64_t>(s.data[k]) + s.data[k + 1];
    if (end > n)
      throwRange(info.Env(), "segments: segment " + std::to_string(k / 2) + " ends at " + std::to_string(end) +
                                 ", past the buffer length " + std::to_string(n));
  }
  *out = s.data;
  return s.length / 2;
}

Napi::Value Sgd(const Info& info) {
  ArrayArg<float> p = typedArray<float>(info, 0, "params");
  float* g = buf(info, 1, "grads", p.length);
  optim::sgd(p.data, g, p.length, f32(info, 2, "lr"), f32(info, 3, "weightDecay"));
  return info.Env().Undefined();
}

Napi::Value SgdMomentum(const Info& info) {
  ArrayArg<float> p = typedArray<float>(info, 0, "params");
  float* g = buf(info, 1, "grads", p.length);
  float* b = buf(info, 2, "buf", p.length);
  optim::sgdMomentum(p.data, g, b, p.length, f32(info, 3, "lr"), number(info, 4, "momentum"), number(info, 5, "dampening"),
                     f32(info, 6, "weightDecay"), boolean(info, 7, "nesterov"), boolean(info, 8, "first"));
  return info.Env().Undefined();
}

Napi::Value Adagrad(const Info& info) {
  ArrayArg<float> p = typedArray<float>(info, 0, "params");
  float* g = buf(info, 1, "grads", p.length);
  float* s = buf(info, 2, "sum", p.length);
  optim::adagrad(p.data, g, s, p.length, f32(info, 3, "lr"), f32(info, 4, "eps"), f32(info, 5, "weightDecay"));
  return info.Env().Undefined();
}

Napi::Value Adadelta(const Info& info) {
  ArrayArg<float> p = typedArray<float>(info, 0, "params");
  float* g = buf(info, 1, "grads", p.length);
  float* sq = buf(info, 2, "sqAvg", p.length);
  float* acc = buf(info, 3, "accDelta", p.length);
  optim::adadelta(p.data, g, sq, acc, p.length, f32(info, 4, "lr"), number(info, 5, "rho"), f32(info, 6, "eps"),
                  f32(info, 7, "weightDecay"));
  return info.Env().Undefined();
}

Napi::Value Rmsprop(const Info& info) {
  ScalarsArg s(info, 5, "scalars");
  const float lr = s.f32("lr"), eps = s.f32("eps"), momentum = s.f32("momentum"), wd = s.f32("weightDecay");
  const double decay = s.number("decay");
  ArrayArg<float> p = typedArray<float>(info, 0, "params");
  float* g = buf(info, 1, "grads", p.length);
  float* sq = buf(info, 2, "sqAvg", p.length);
  float* ga = optBuf(info, 3, "gAvg", p.length);
  float* b = optBuf(info, 4, "buf", p.length);
  optim::rmsprop(p.data, g, sq, ga, b, p.length, lr, decay, eps, momentum, wd);
  return info.Env().Undefined();
}

Napi::Value Adam(const Info& info) {
  ScalarsArg s(info, 5, "scalars");
  const optim::AdamScalars sc{s.number("b1"),         s.number("b2"),          s.f32("eps"), s.f32("stepSize"),
                              s.f32("invBc2Sqrt"), s.f32("weightDecay"), s.f32("decay")};
  ArrayArg<float> p = typedArray<float>(info, 0, "params");
  float* g = buf(info, 1, "grads", p.length);
  float* m = buf(info, 2, "m", p.length);
  float* v = buf(info, 3, "v", p.length);
  float* vMax = optBuf(info, 4, "vMax", p.length);
  optim::adam(p.data, g, m, v, vMax, p.length, sc);
  return info.Env().Undefined();
}

Napi::Value AdamPredict(const Info& info) {
  ArrayArg<float> p = typedArray<float>(info, 0, "params");
  float* m = buf(info, 1, "m", p.length);
  float* v = buf(info, 2, "v", p.length);
  float* out = buf(info, 3, "out", p.length);
  optim::adamPredict(p.data, m, v, out, p.length, f32(info, 4, "stepSize"), f32(info, 5, "invBc2Sqrt"),
                     f32(info, 6, "eps"));
  return info.Env().Undefined();
}

Napi::Value Adamax(const Info& info) {
  ArrayArg<float> p = typedArray<float>(info, 0, "params");
  float* g = buf(info, 1, "grads", p.length);
  float* m = buf(info, 2, "m", p.length);
  float* u = buf(info, 3, "u", p.length);
  optim::adamax(p.data, g, m, u, p.length, number(info, 4, "b1"), number(info, 5, "b2"), f32(info, 6, "eps"),
                f32(info, 7, "stepSize"), f32(info, 8, "weightDecay"));
  return info.Env().Undefined();
}

Napi::Value Nadam(const Info& info) {
  ScalarsArg s(info, 4, "scalars");
  const double b1 = s.number("b1"), b2 = s.number("b2");
  const float eps = s.f32("eps"), invBc2 = s.f32("invBc2"), gradCoef = s.f32("gradCoef"), momCoef = s.f32("momCoef"),
              wd = s.f32("weightDecay"), decay = s.f32("decay");
  ArrayArg<float> p = typedArray<float>(info, 0, "params");
  float* g = buf(info, 1, "grads", p.length);
  float* m = buf(info, 2, "m", p.length);
  float* v = buf(info, 3, "v", p.length);
  optim::nadam(p.data, g, m, v, p.length, b1, b2, eps, invBc2, gradCoef, momCoef, wd, decay);
  return info.Env().Undefined();
}

Napi::Value Yogi(const Info& info) {
  ArrayArg<float> p = typedArray<float>(info, 0, "params");
  float* g = buf(info, 1, "grads", p.length);
  float* m = buf(info, 2, "m", p.length);
  float* v = buf(info, 3, "v", p.length);
  optim::yogi(p.data, g, m, v, p.length, number(info, 4, "b1"), number(info, 5, "b2"), f32(info, 6, "eps"),
              f32(info, 7, "stepSize"), f32(info, 8, "invBc2"));
  return info.Env().Undefined();
}

Napi::Value Grams(const Info& info) {
  ScalarsArg s(info, 4, "scalars");
  const double b1 = s.number("b1"), b2 = s.number("b2");
  const float eps = s.f32("eps"), stepSize = s.f32("stepSize"), invBc2Sqrt = s.f32("invBc2Sqrt"),
              decay = s.f32("decay");
  ArrayArg<float> p = typedArray<float>(info, 0, "params");
  float* g = buf(info, 1, "grads", p.length);
  float* m = buf(info, 2, "m", p.length);
  float* v = buf(info, 3, "v", p.length);
  optim::grams(p.data, g, m, v, p.length, b1, b2, eps, stepSize, invBc2Sqrt, decay);
  return info.Env().Undefined();
}

Napi::Value Diffgrad(const Info& info) {
  ScalarsArg s(info, 5, "scalars");
  const double b1 = s.number("b1"), b2 = s.number("b2");
  const float eps = s.f32("eps"), stepSize = s.f32("stepSize"), wd = s.f32("weightDecay");
  ArrayArg<float> p = typedArray<float>(info, 0, "params");
  float* g = buf(info, 1, "grads", p.length);
  float* m = buf(info, 2, "m", p.length);
  float* v = buf(info, 3, "v", p.length);
  float* gp = buf(info, 4, "gPrev", p.length);
  optim::diffgrad(p.data, g, m, v, gp, p.length, b1, b2, eps, stepSize, wd);
  return info.Env().Undefined();
}

Napi::Value Lion(const Info& info) {
  ArrayArg<float> p = typedArray<float>(info, 0, "params");
  float* g = buf(info, 1, "grads", p.length);
  float* m = buf(info, 2, "m", p.length);
  optim::lion(p.data, g, m, p.length, f32(info, 3, "lr"), number(info, 4, "b1"), number(info, 5, "b2"),
              number(info, 6, "decay"));
  return info.Env().Undefined();
}

Napi::Value Novograd(const Info& info) {
  ScalarsArg s(info, 5, "scalars");
  const float lr = s.f32("lr"), b1 = s.f32("b1"), eps = s.f32("eps"), wd = s.f32("weightDecay");
  const double b2 = s.number("b2");
  const bool first = s.boolean("first");
  ArrayArg<float> p = typedArray<float>(info, 0, "params");
  float* g = buf(info, 1, "grads", p.length);
  float* m = buf(info, 2, "m", p.length);
  ArrayArg<double> nu = typedArray<double>(info, 3, "nu");
  const uint32_t* seg = nullptr;
  size_t numSeg = segmentsArg(info, 4, p.length, &seg);
  requireLength(info.Env(), nu.length, numSeg, "nu");
  optim::novograd(p.data, g, m, nu.data, seg, numSeg, p.length, lr, b1, b2, eps, wd, first);
  return info.Env().Undefined();
}

Napi::Value Madgrad(const Info& info) {
  ScalarsArg s(info, 5, "scalars");
  const float lr = s.f32("lr"), lamb = s.f32("lamb"), eps = s.f32("eps"), wd = s.f32("weightDecay");
  const double momentum = s.number("momentum");
  const bool decoupled = s.boolean("decoupled");
  ArrayArg<float> p = typedArray<float>(info, 0, "params");
  float* g = buf(info, 1, "grads", p.length);
  float* sum = buf(info, 2, "s", p.length);
  float* nu = buf(info, 3, "nu", p.length);
  float* x0 = optBuf(info, 4, "x0", p.length);
  optim::madgrad(p.data, g, sum, nu, x0, p.length, lr, lamb, eps, momentum, wd, decoupled);
  return info.Env().Undefined();
}

Napi::Value OptimisticAmsgrad(const Info& info) {
  ScalarsArg s(info, 7, "scalars");
  const float lr = s.f32("lr");
  const double b1 = s.number("b1"), b2 = s.number("b2");
  ArrayArg<float> p = typedArray<float>(info, 0, "params");
  float* g = buf(info, 1, "grads", p.length);
  float* guess = buf(info, 2, "guess", p.length);
  float* m = buf(info, 3, "m", p.length);
  float* v = buf(info, 4, "v", p.length);
  float* vh = buf(info, 5, "vHat", p.length);
  float* wh = buf(info, 6, "wHalf", p.length);
  optim::optimisticAmsgrad(p.data, g, guess, m, v, vh, wh, p.length, lr, b1, b2);
  return info.Env().Undefined();
}

Napi::Value Gravity(const Info& info) {
  ArrayArg<float> p = typedArray<float>(info, 0, "params");
  float* g = buf(info, 1, "grads", p.length);
  float* vel = buf(info, 2, "vel", p.length);
  const uint32_t* seg = nullptr;
  size_t numSeg = segmentsArg(info, 3, p.length, &seg);
  optim::gravity(p.data, g, vel, seg, numSeg, p.length, f32(info, 4, "lr"), number(info, 5, "betaHat"));
  return info.Env().Undefined();
}

Napi::Value Aegd(const Info& info) {
  ArrayArg<float> p = typedArray<float>(info, 0, "params");
  float* g = buf(info, 1, "grads", p.length);
  float* r = buf(info, 2, "energy", p.length);
  optim::aegd(p.data, g, r, p.length, f32(info, 3, "lr"), f32(info, 4, "gradScale"), f32(info, 5, "weightDecay"));
  return info.Env().Undefined();
}

Napi::Value SwatsAdam(const Info& info) {
  ScalarsArg s(info, 4, "scalars");
  const double b1 = s.number("b1"), b2 = s.number("b2");
  const float eps = s.f32("eps"), stepSize = s.f32("stepSize"), wd = s.f32("weightDecay");
  ArrayArg<float> p = typedArray<float>(info, 0, "params");
  float* g = buf(info, 1, "grads", p.length);
  float* m = buf(info, 2, "m", p.length);
  float* a = buf(info, 3, "a", p.length);
  ArrayArg<double> dots = typedArray<double>(info, 5, "dots", 2);
  optim::swatsAdam(p.data, g, m, a, p.length, b1, b2, eps, stepSize, wd, dots.data);
  return info.Env().Undefined();
}

Napi::Value ComplexMomentum(const Info& info) {
  ArrayArg<float> p = typedArray<float>(info, 0, "params");
  float* g = buf(info, 1, "grads", p.length);
  float* re = buf(info, 2, "muRe", p.length);
  float* im = buf(info, 3, "muIm", p.length);
  optim::complexMomentum(p.data, g, re, im, p.length, f32(info, 4, "lr"), f32(info, 5, "betaRe"),
                         f32(info, 6, "betaIm"));
  return info.Env().Undefined();
}

Napi::Value GrokfastEma(const Info& info) {
  ArrayArg<float> g = typedArray<float>(info, 0, "grads");
  float* mu = buf(info, 1, "mu", g.length);
  optim::grokfastEma(g.data, mu, g.length, number(info, 2, "alpha"), f32(info, 3, "lamb"), boolean(info, 4, "first"));
  return info.Env().Undefined();
}

Napi::Value ClipByValue(const Info& info) {
  ArrayArg<float> g = typedArray<float>(info, 0, "grads");
  optim::clipByValue(g.data, g.length, f32(info, 1, "lo"), f32(info, 2, "hi"));
  return info.Env().Undefined();
}

Napi::Value LookaheadSync(const Info& info) {
  ArrayArg<float> fast = typedArray<float>(info, 0, "fast");
  float* slow = buf(info, 1, "slow", fast.length);
  optim::lookaheadSync(fast.data, slow, fast.length, number(info, 2, "alpha"));
  return info.Env().Undefined();
}

Napi::Value StreamCopy(const Info& info) {
  ArrayArg<float> dst = typedArray<float>(info, 0, "dst");
  float* src = buf(info, 1, "src", dst.length);
  optim::streamCopy(dst.data, src, dst.length);
  return info.Env().Undefined();
}

Napi::Value StreamTriad(const Info& info) {
  ArrayArg<float> a = typedArray<float>(info, 0, "a");
  float* b = buf(info, 1, "b", a.length);
  float* c = buf(info, 2, "c", a.length);
  optim::streamTriad(a.data, b, c, a.length, f32(info, 3, "s"));
  return info.Env().Undefined();
}

}  // namespace

void RegisterOptim(Napi::Env env, Napi::Object exports) {
  static const KernelRow rows[] = {
      // optimSgd(p, g, lr, weightDecay)
      {"optimSgd", 4, Sgd},
      // optimSgdMomentum(p, g, buf, lr, momentum, dampening, weightDecay, nesterov, first)
      {"optimSgdMomentum", 9, SgdMomentum},
      // optimAdagrad(p, g, sum, lr, eps, weightDecay)
      {"optimAdagrad", 6, Adagrad},
      // optimAdadelta(p, g, sqAvg, accDelta, lr, rho, eps, weightDecay)
      {"optimAdadelta", 8, Adadelta},
      // optimRmsprop(p, g, sqAvg, gAvg?, buf?, { lr, decay, eps, momentum, weightDecay })
      {"optimRmsprop", 6, Rmsprop},
      // optimAdam(p, g, m, v, vMax?, { b1, b2, eps, stepSize, invBc2Sqrt, weightDecay, decay })
      {"optimAdam", 6, Adam},
      // optimAdamPredict(p, m, v, out, stepSize, invBc2Sqrt, eps)
      {"optimAdamPredict", 7, AdamPredict},
      // optimAdamax(p, g, m, u, b1, b2, eps, stepSize, weightDecay)
      {"optimAdamax", 9, Adamax},
      // optimNadam(p, g, m, v, { b1, b2, eps, invBc2, gradCoef, momCoef, weightDecay, decay })
      {"optimNadam", 5, Nadam},
      // optimYogi(p, g, m, v, b1, b2, eps, stepSize, invBc2)
      {"optimYogi", 9, Yogi},
      // optimGrams(p, g, m, v, { b1, b2, eps, stepSize, invBc2Sqrt, decay })
      {"optimGrams", 5, Grams},
      // optimDiffgrad(p, g, m, v, gPrev, { b1, b2, eps, stepSize, weightDecay })
      {"optimDiffgrad", 6, Diffgrad},
      // optimLion(p, g, m, lr, b1, b2, decay)
      {"optimLion", 7, Lion},
      // optimNovograd(p, g, m, nu: Float64Array, segments: Uint32Array, { lr, b1, b2, eps, weightDecay, first })
      {"optimNovograd", 6, Novograd},
      // optimMadgrad(p, g, s, nu, x0?, { lr, lamb, eps, momentum, weightDecay, decoupled })
      {"optimMadgrad", 6, Madgrad},
      // optimOptimisticAmsgrad(p, g, guess, m, v, vHat, wHalf, { lr, b1, b2 })
      {"optimOptimisticAmsgrad", 8, OptimisticAmsgrad},
      // optimGravity(p, g, vel, segments: Uint32Array, lr, betaHat)
      {"optimGravity", 6, Gravity},
      // optimAegd(p, g, energy, lr, gradScale, weightDecay)
      {"optimAegd", 6, Aegd},
      // optimSwatsAdam(p, g, m, a, { b1, b2, eps, stepSize, weightDecay }, dots: Float64Array[2])
      {"optimSwatsAdam", 6, SwatsAdam},
      // optimComplexMomentum(p, g, muRe, muIm, lr, betaRe, betaIm)
      {"optimComplexMomentum", 7, ComplexMomentum},
      // optimGrokfastEma(g, mu, alpha, lamb, first)
      {"optimGrokfastEma", 5, GrokfastEma},
      // optimClipByValue(g, lo, hi)
      {"optimClipByValue", 3, ClipByValue},
      // optimLookaheadSync(fast, slow, alpha)
      {"optimLookaheadSync", 3, LookaheadSync},
      // optimStreamCopy(dst, src)
      {"optimStreamCopy", 2, StreamCopy},
      // optimStreamTriad(a, b, c, s)
      {"optimStreamTriad", 4, StreamTriad},
  };
  registerKernels(env, exports, rows);
}

}  // namespace ol::napi
