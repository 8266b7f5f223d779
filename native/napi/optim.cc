// optim: N-API glue for the fused optimizer steps (native/core/optim). Every step updates its
// buffers in place; all buffers of one call have the length of `params`. Optional buffers are
// passed as an empty Float32Array. JS signatures (p params, g grads; scalars are numbers):
//   optimSgd(p, g, lr, weightDecay)
//   optimSgdMomentum(p, g, buf, lr, momentum, dampening, weightDecay, nesterov, first)
//   optimAdagrad(p, g, sum, lr, eps, weightDecay)
//   optimAdadelta(p, g, sqAvg, accDelta, lr, rho, eps, weightDecay)
//   optimRmsprop(p, g, sqAvg, gAvg?, buf?, lr, decay, eps, momentum, weightDecay)
//   optimAdam(p, g, m, v, vMax?, b1, b2, eps, stepSize, invBc2Sqrt, weightDecay, decay)
//   optimAdamPredict(p, m, v, out, stepSize, invBc2Sqrt, eps)
//   optimAdamax(p, g, m, u, b1, b2, eps, stepSize, weightDecay)
//   optimNadam(p, g, m, v, b1, b2, eps, invBc2, gradCoef, momCoef, weightDecay, decay)
//   optimYogi(p, g, m, v, b1, b2, eps, stepSize, invBc2)
//   optimGrams(p, g, m, v, b1, b2, eps, stepSize, invBc2Sqrt, decay)
//   optimDiffgrad(p, g, m, v, gPrev, b1, b2, eps, stepSize, weightDecay)
//   optimLion(p, g, m, lr, b1, b2, decay)
//   optimNovograd(p, g, m, nu: Float64Array, segments: Uint32Array, lr, b1, b2, eps, weightDecay, first)
//   optimMadgrad(p, g, s, nu, x0?, lr, lamb, eps, momentum, weightDecay, decoupled)
//   optimOptimisticAmsgrad(p, g, m, v, vHat, wHalf, lr, b1, b2)
//   optimGravity(p, g, vel, segments: Uint32Array, lr, betaHat)
//   optimAegd(p, g, energy, lr, gradScale, weightDecay)
//   optimSwatsAdam(p, g, m, a, b1, b2, eps, stepSize, weightDecay, dots: Float64Array[2])
//   optimComplexMomentum(p, g, muRe, muIm, lr, betaRe, betaIm)
//   optimGrokfastEma(g, mu, alpha, lamb, first)
//   optimClipByValue(g, lo, hi)
//   optimLookaheadSync(fast, slow, alpha)
//   optimStreamCopy(dst, src);  optimStreamTriad(a, b, c, s)
#include <string>

#include "core/optim/optim.h"
#include "napi/args.h"
#include "napi/register.h"

namespace ol::napi {
namespace {

using Info = Napi::CallbackInfo;

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
  requireArgs(info, 4, "optimSgd");
  ArrayArg<float> p = typedArray<float>(info, 0, "params");
  float* g = buf(info, 1, "grads", p.length);
  optim::sgd(p.data, g, p.length, f32(info, 2, "lr"), f32(info, 3, "weightDecay"));
  return info.Env().Undefined();
}

Napi::Value SgdMomentum(const Info& info) {
  requireArgs(info, 9, "optimSgdMomentum");
  ArrayArg<float> p = typedArray<float>(info, 0, "params");
  float* g = buf(info, 1, "grads", p.length);
  float* b = buf(info, 2, "buf", p.length);
  optim::sgdMomentum(p.data, g, b, p.length, f32(info, 3, "lr"), number(info, 4, "momentum"), number(info, 5, "dampening"),
                     f32(info, 6, "weightDecay"), boolean(info, 7, "nesterov"), boolean(info, 8, "first"));
  return info.Env().Undefined();
}

Napi::Value Adagrad(const Info& info) {
  requireArgs(info, 6, "optimAdagrad");
  ArrayArg<float> p = typedArray<float>(info, 0, "params");
  float* g = buf(info, 1, "grads", p.length);
  float* s = buf(info, 2, "sum", p.length);
  optim::adagrad(p.data, g, s, p.length, f32(info, 3, "lr"), f32(info, 4, "eps"), f32(info, 5, "weightDecay"));
  return info.Env().Undefined();
}

Napi::Value Adadelta(const Info& info) {
  requireArgs(info, 8, "optimAdadelta");
  ArrayArg<float> p = typedArray<float>(info, 0, "params");
  float* g = buf(info, 1, "grads", p.length);
  float* sq = buf(info, 2, "sqAvg", p.length);
  float* acc = buf(info, 3, "accDelta", p.length);
  optim::adadelta(p.data, g, sq, acc, p.length, f32(info, 4, "lr"), number(info, 5, "rho"), f32(info, 6, "eps"),
                  f32(info, 7, "weightDecay"));
  return info.Env().Undefined();
}

Napi::Value Rmsprop(const Info& info) {
  requireArgs(info, 10, "optimRmsprop");
  ArrayArg<float> p = typedArray<float>(info, 0, "params");
  float* g = buf(info, 1, "grads", p.length);
  float* sq = buf(info, 2, "sqAvg", p.length);
  float* ga = optBuf(info, 3, "gAvg", p.length);
  float* b = optBuf(info, 4, "buf", p.length);
  optim::rmsprop(p.data, g, sq, ga, b, p.length, f32(info, 5, "lr"), number(info, 6, "decay"), f32(info, 7, "eps"),
                 number(info, 8, "momentum"), f32(info, 9, "weightDecay"));
  return info.Env().Undefined();
}

Napi::Value Adam(const Info& info) {
  requireArgs(info, 12, "optimAdam");
  ArrayArg<float> p = typedArray<float>(info, 0, "params");
  float* g = buf(info, 1, "grads", p.length);
  float* m = buf(info, 2, "m", p.length);
  float* v = buf(info, 3, "v", p.length);
  float* vMax = optBuf(info, 4, "vMax", p.length);
  optim::AdamScalars s{number(info, 5, "b1"),       number(info, 6, "b2"),           f32(info, 7, "eps"),
                       f32(info, 8, "stepSize"), f32(info, 9, "invBc2Sqrt"),   f32(info, 10, "weightDecay"),
                       f32(info, 11, "decay")};
  optim::adam(p.data, g, m, v, vMax, p.length, s);
  return info.Env().Undefined();
}

Napi::Value AdamPredict(const Info& info) {
  requireArgs(info, 7, "optimAdamPredict");
  ArrayArg<float> p = typedArray<float>(info, 0, "params");
  float* m = buf(info, 1, "m", p.length);
  float* v = buf(info, 2, "v", p.length);
  float* out = buf(info, 3, "out", p.length);
  optim::adamPredict(p.data, m, v, out, p.length, f32(info, 4, "stepSize"), f32(info, 5, "invBc2Sqrt"),
                     f32(info, 6, "eps"));
  return info.Env().Undefined();
}

Napi::Value Adamax(const Info& info) {
  requireArgs(info, 9, "optimAdamax");
  ArrayArg<float> p = typedArray<float>(info, 0, "params");
  float* g = buf(info, 1, "grads", p.length);
  float* m = buf(info, 2, "m", p.length);
  float* u = buf(info, 3, "u", p.length);
  optim::adamax(p.data, g, m, u, p.length, number(info, 4, "b1"), number(info, 5, "b2"), f32(info, 6, "eps"),
                f32(info, 7, "stepSize"), f32(info, 8, "weightDecay"));
  return info.Env().Undefined();
}

Napi::Value Nadam(const Info& info) {
  requireArgs(info, 12, "optimNadam");
  ArrayArg<float> p = typedArray<float>(info, 0, "params");
  float* g = buf(info, 1, "grads", p.length);
  float* m = buf(info, 2, "m", p.length);
  float* v = buf(info, 3, "v", p.length);
  optim::nadam(p.data, g, m, v, p.length, number(info, 4, "b1"), number(info, 5, "b2"), f32(info, 6, "eps"),
               f32(info, 7, "invBc2"), f32(info, 8, "gradCoef"), f32(info, 9, "momCoef"), f32(info, 10, "weightDecay"),
               number(info, 11, "decay"));
  return info.Env().Undefined();
}

Napi::Value Yogi(const Info& info) {
  requireArgs(info, 9, "optimYogi");
  ArrayArg<float> p = typedArray<float>(info, 0, "params");
  float* g = buf(info, 1, "grads", p.length);
  float* m = buf(info, 2, "m", p.length);
  float* v = buf(info, 3, "v", p.length);
  optim::yogi(p.data, g, m, v, p.length, number(info, 4, "b1"), number(info, 5, "b2"), f32(info, 6, "eps"),
              f32(info, 7, "stepSize"), f32(info, 8, "invBc2"));
  return info.Env().Undefined();
}

Napi::Value Grams(const Info& info) {
  requireArgs(info, 10, "optimGrams");
  ArrayArg<float> p = typedArray<float>(info, 0, "params");
  float* g = buf(info, 1, "grads", p.length);
  float* m = buf(info, 2, "m", p.length);
  float* v = buf(info, 3, "v", p.length);
  optim::grams(p.data, g, m, v, p.length, number(info, 4, "b1"), number(info, 5, "b2"), f32(info, 6, "eps"),
               f32(info, 7, "stepSize"), f32(info, 8, "invBc2Sqrt"), number(info, 9, "decay"));
  return info.Env().Undefined();
}

Napi::Value Diffgrad(const Info& info) {
  requireArgs(info, 10, "optimDiffgrad");
  ArrayArg<float> p = typedArray<float>(info, 0, "params");
  float* g = buf(info, 1, "grads", p.length);
  float* m = buf(info, 2, "m", p.length);
  float* v = buf(info, 3, "v", p.length);
  float* gp = buf(info, 4, "gPrev", p.length);
  optim::diffgrad(p.data, g, m, v, gp, p.length, number(info, 5, "b1"), number(info, 6, "b2"), f32(info, 7, "eps"),
                  f32(info, 8, "stepSize"), f32(info, 9, "weightDecay"));
  return info.Env().Undefined();
}

Napi::Value Lion(const Info& info) {
  requireArgs(info, 7, "optimLion");
  ArrayArg<float> p = typedArray<float>(info, 0, "params");
  float* g = buf(info, 1, "grads", p.length);
  float* m = buf(info, 2, "m", p.length);
  optim::lion(p.data, g, m, p.length, f32(info, 3, "lr"), number(info, 4, "b1"), number(info, 5, "b2"),
              number(info, 6, "decay"));
  return info.Env().Undefined();
}

Napi::Value Novograd(const Info& info) {
  requireArgs(info, 11, "optimNovograd");
  ArrayArg<float> p = typedArray<float>(info, 0, "params");
  float* g = buf(info, 1, "grads", p.length);
  float* m = buf(info, 2, "m", p.length);
  ArrayArg<double> nu = typedArray<double>(info, 3, "nu");
  const uint32_t* seg = nullptr;
  size_t numSeg = segmentsArg(info, 4, p.length, &seg);
  requireLength(info.Env(), nu.length, numSeg, "nu");
  optim::novograd(p.data, g, m, nu.data, seg, numSeg, p.length, f32(info, 5, "lr"), number(info, 6, "b1"),
                  number(info, 7, "b2"), f32(info, 8, "eps"), f32(info, 9, "weightDecay"), boolean(info, 10, "first"));
  return info.Env().Undefined();
}

Napi::Value Madgrad(const Info& info) {
  requireArgs(info, 11, "optimMadgrad");
  ArrayArg<float> p = typedArray<float>(info, 0, "params");
  float* g = buf(info, 1, "grads", p.length);
  float* s = buf(info, 2, "s", p.length);
  float* nu = buf(info, 3, "nu", p.length);
  float* x0 = optBuf(info, 4, "x0", p.length);
  optim::madgrad(p.data, g, s, nu, x0, p.length, f32(info, 5, "lr"), f32(info, 6, "lamb"), f32(info, 7, "eps"),
                 number(info, 8, "momentum"), f32(info, 9, "weightDecay"), boolean(info, 10, "decoupled"));
  return info.Env().Undefined();
}

Napi::Value OptimisticAmsgrad(const Info& info) {
  requireArgs(info, 9, "optimOptimisticAmsgrad");
  ArrayArg<float> p = typedArray<float>(info, 0, "params");
  float* g = buf(info, 1, "grads", p.length);
  float* m = buf(info, 2, "m", p.length);
  float* v = buf(info, 3, "v", p.length);
  float* vh = buf(info, 4, "vHat", p.length);
  float* wh = buf(info, 5, "wHalf", p.length);
  optim::optimisticAmsgrad(p.data, g, m, v, vh, wh, p.length, f32(info, 6, "lr"), number(info, 7, "b1"),
                           number(info, 8, "b2"));
  return info.Env().Undefined();
}

Napi::Value Gravity(const Info& info) {
  requireArgs(info, 6, "optimGravity");
  ArrayArg<float> p = typedArray<float>(info, 0, "params");
  float* g = buf(info, 1, "grads", p.length);
  float* vel = buf(info, 2, "vel", p.length);
  const uint32_t* seg = nullptr;
  size_t numSeg = segmentsArg(info, 3, p.length, &seg);
  optim::gravity(p.data, g, vel, seg, numSeg, p.length, f32(info, 4, "lr"), number(info, 5, "betaHat"));
  return info.Env().Undefined();
}

Napi::Value Aegd(const Info& info) {
  requireArgs(info, 6, "optimAegd");
  ArrayArg<float> p = typedArray<float>(info, 0, "params");
  float* g = buf(info, 1, "grads", p.length);
  float* r = buf(info, 2, "energy", p.length);
  optim::aegd(p.data, g, r, p.length, f32(info, 3, "lr"), f32(info, 4, "gradScale"), f32(info, 5, "weightDecay"));
  return info.Env().Undefined();
}

Napi::Value SwatsAdam(const Info& info) {
  requireArgs(info, 10, "optimSwatsAdam");
  ArrayArg<float> p = typedArray<float>(info, 0, "params");
  float* g = buf(info, 1, "grads", p.length);
  float* m = buf(info, 2, "m", p.length);
  float* a = buf(info, 3, "a", p.length);
  ArrayArg<double> dots = typedArray<double>(info, 9, "dots", 2);
  optim::swatsAdam(p.data, g, m, a, p.length, number(info, 4, "b1"), number(info, 5, "b2"), f32(info, 6, "eps"),
                   f32(info, 7, "stepSize"), f32(info, 8, "weightDecay"), dots.data);
  return info.Env().Undefined();
}

Napi::Value ComplexMomentum(const Info& info) {
  requireArgs(info, 7, "optimComplexMomentum");
  ArrayArg<float> p = typedArray<float>(info, 0, "params");
  float* g = buf(info, 1, "grads", p.length);
  float* re = buf(info, 2, "muRe", p.length);
  float* im = buf(info, 3, "muIm", p.length);
  optim::complexMomentum(p.data, g, re, im, p.length, f32(info, 4, "lr"), f32(info, 5, "betaRe"),
                         f32(info, 6, "betaIm"));
  return info.Env().Undefined();
}

Napi::Value GrokfastEma(const Info& info) {
  requireArgs(info, 5, "optimGrokfastEma");
  ArrayArg<float> g = typedArray<float>(info, 0, "grads");
  float* mu = buf(info, 1, "mu", g.length);
  optim::grokfastEma(g.data, mu, g.length, number(info, 2, "alpha"), f32(info, 3, "lamb"), boolean(info, 4, "first"));
  return info.Env().Undefined();
}

Napi::Value ClipByValue(const Info& info) {
  requireArgs(info, 3, "optimClipByValue");
  ArrayArg<float> g = typedArray<float>(info, 0, "grads");
  optim::clipByValue(g.data, g.length, f32(info, 1, "lo"), f32(info, 2, "hi"));
  return info.Env().Undefined();
}

Napi::Value LookaheadSync(const Info& info) {
  requireArgs(info, 3, "optimLookaheadSync");
  ArrayArg<float> fast = typedArray<float>(info, 0, "fast");
  float* slow = buf(info, 1, "slow", fast.length);
  optim::lookaheadSync(fast.data, slow, fast.length, number(info, 2, "alpha"));
  return info.Env().Undefined();
}

Napi::Value StreamCopy(const Info& info) {
  requireArgs(info, 2, "optimStreamCopy");
  ArrayArg<float> dst = typedArray<float>(info, 0, "dst");
  float* src = buf(info, 1, "src", dst.length);
  optim::streamCopy(dst.data, src, dst.length);
  return info.Env().Undefined();
}

Napi::Value StreamTriad(const Info& info) {
  requireArgs(info, 4, "optimStreamTriad");
  ArrayArg<float> a = typedArray<float>(info, 0, "a");
  float* b = buf(info, 1, "b", a.length);
  float* c = buf(info, 2, "c", a.length);
  optim::streamTriad(a.data, b, c, a.length, f32(info, 3, "s"));
  return info.Env().Undefined();
}

}  // namespace

void RegisterOptim(Napi::Env env, Napi::Object exports) {
  const std::pair<const char*, Napi::Function::Callback> fns[] = {
      {"optimSgd", Sgd},
      {"optimSgdMomentum", SgdMomentum},
      {"optimAdagrad", Adagrad},
      {"optimAdadelta", Adadelta},
      {"optimRmsprop", Rmsprop},
      {"optimAdam", Adam},
      {"optimAdamPredict", AdamPredict},
      {"optimAdamax", Adamax},
      {"optimNadam", Nadam},
      {"optimYogi", Yogi},
      {"optimGrams", Grams},
      {"optimDiffgrad", Diffgrad},
      {"optimLion", Lion},
      {"optimNovograd", Novograd},
      {"optimMadgrad", Madgrad},
      {"optimOptimisticAmsgrad", OptimisticAmsgrad},
      {"optimGravity", Gravity},
      {"optimAegd", Aegd},
      {"optimSwatsAdam", SwatsAdam},
      {"optimComplexMomentum", ComplexMomentum},
      {"optimGrokfastEma", GrokfastEma},
      {"optimClipByValue", ClipByValue},
      {"optimLookaheadSync", LookaheadSync},
      {"optimStreamCopy", StreamCopy},
      {"optimStreamTriad", StreamTriad},
  };
  for (const auto& [name, fn] : fns) exports.Set(name, Napi::Function::New(env, fn, name));
}

}  // namespace ol::napi
