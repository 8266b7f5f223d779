// optim: N-API glue for the fused optimizer steps (native/core/optim). Every step updates its
// buffers in place; all buffers of one call have the length of `params`; an optional buffer (`?`)
// is passed as an empty Float32Array. Kernels with many scalars take them as one object, read
// before any buffer so that a getter cannot detach a buffer the kernel already holds.
#include <string>

#include "core/optim/eigen_sym.h"
#include "core/optim/optim.h"
#include "napi/args.h"
#include "napi/kernel.h"
#include "napi/register.h"

namespace ol::napi {
namespace {

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

void Sgd(const Info& info) {
  auto [n, p, g] = floatBuffers(info, "params", "grads");
  optim::sgd(p, g, n, f32(info, 2, "lr"), f32(info, 3, "weightDecay"));
}

void SgdMomentum(const Info& info) {
  auto [n, p, g, b] = floatBuffers(info, "params", "grads", "buf");
  optim::sgdMomentum(p, g, b, n, f32(info, 3, "lr"), number(info, 4, "momentum"), number(info, 5, "dampening"),
                     f32(info, 6, "weightDecay"), boolean(info, 7, "nesterov"), boolean(info, 8, "first"));
}

void Adagrad(const Info& info) {
  auto [n, p, g, sum] = floatBuffers(info, "params", "grads", "sum");
  optim::adagrad(p, g, sum, n, f32(info, 3, "lr"), f32(info, 4, "eps"), f32(info, 5, "weightDecay"));
}

void Adadelta(const Info& info) {
  auto [n, p, g, sq, acc] = floatBuffers(info, "params", "grads", "sqAvg", "accDelta");
  optim::adadelta(p, g, sq, acc, n, f32(info, 4, "lr"), number(info, 5, "rho"), f32(info, 6, "eps"),
                  f32(info, 7, "weightDecay"));
}

void Rmsprop(const Info& info) {
  ScalarsArg s(info, 5, "scalars");
  const float lr = s.f32("lr"), eps = s.f32("eps"), momentum = s.f32("momentum"), wd = s.f32("weightDecay");
  const double decay = s.number("decay");
  auto [n, p, g, sq, ga, b] = floatBuffers(info, "params", "grads", "sqAvg", "gAvg?", "buf?");
  optim::rmsprop(p, g, sq, ga, b, n, lr, decay, eps, momentum, wd);
}

void Adam(const Info& info) {
  ScalarsArg s(info, 5, "scalars");
  const optim::AdamScalars sc{s.number("b1"),         s.number("b2"),          s.f32("eps"), s.f32("stepSize"),
                              s.f32("invBc2Sqrt"), s.f32("weightDecay"), s.f32("decay")};
  auto [n, p, g, m, v, vMax] = floatBuffers(info, "params", "grads", "m", "v", "vMax?");
  optim::adam(p, g, m, v, vMax, n, sc);
}

void AdamPredict(const Info& info) {
  auto [n, p, m, v, out] = floatBuffers(info, "params", "m", "v", "out");
  optim::adamPredict(p, m, v, out, n, f32(info, 4, "stepSize"), f32(info, 5, "invBc2Sqrt"), f32(info, 6, "eps"));
}

void Adamax(const Info& info) {
  auto [n, p, g, m, u] = floatBuffers(info, "params", "grads", "m", "u");
  optim::adamax(p, g, m, u, n, number(info, 4, "b1"), number(info, 5, "b2"), f32(info, 6, "eps"),
                f32(info, 7, "stepSize"), f32(info, 8, "weightDecay"));
}

void Nadam(const Info& info) {
  ScalarsArg s(info, 4, "scalars");
  const double b1 = s.number("b1"), b2 = s.number("b2");
  const float eps = s.f32("eps"), invBc2 = s.f32("invBc2"), gradCoef = s.f32("gradCoef"), momCoef = s.f32("momCoef"),
              wd = s.f32("weightDecay"), decay = s.f32("decay");
  auto [n, p, g, m, v] = floatBuffers(info, "params", "grads", "m", "v");
  optim::nadam(p, g, m, v, n, b1, b2, eps, invBc2, gradCoef, momCoef, wd, decay);
}

void Yogi(const Info& info) {
  auto [n, p, g, m, v] = floatBuffers(info, "params", "grads", "m", "v");
  optim::yogi(p, g, m, v, n, number(info, 4, "b1"), number(info, 5, "b2"), f32(info, 6, "eps"),
              f32(info, 7, "stepSize"), f32(info, 8, "invBc2"));
}

void Grams(const Info& info) {
  ScalarsArg s(info, 4, "scalars");
  const double b1 = s.number("b1"), b2 = s.number("b2");
  const float eps = s.f32("eps"), stepSize = s.f32("stepSize"), invBc2Sqrt = s.f32("invBc2Sqrt"),
              decay = s.f32("decay");
  auto [n, p, g, m, v] = floatBuffers(info, "params", "grads", "m", "v");
  optim::grams(p, g, m, v, n, b1, b2, eps, stepSize, invBc2Sqrt, decay);
}

void Diffgrad(const Info& info) {
  ScalarsArg s(info, 5, "scalars");
  const double b1 = s.number("b1"), b2 = s.number("b2");
  const float eps = s.f32("eps"), stepSize = s.f32("stepSize"), wd = s.f32("weightDecay");
  auto [n, p, g, m, v, gp] = floatBuffers(info, "params", "grads", "m", "v", "gPrev");
  optim::diffgrad(p, g, m, v, gp, n, b1, b2, eps, stepSize, wd);
}

void Lion(const Info& info) {
  auto [n, p, g, m] = floatBuffers(info, "params", "grads", "m");
  optim::lion(p, g, m, n, f32(info, 3, "lr"), number(info, 4, "b1"), number(info, 5, "b2"), number(info, 6, "decay"));
}

void Novograd(const Info& info) {
  ScalarsArg s(info, 5, "scalars");
  const float lr = s.f32("lr"), b1 = s.f32("b1"), eps = s.f32("eps"), wd = s.f32("weightDecay");
  const double b2 = s.number("b2");
  const bool first = s.boolean("first");
  auto [n, p, g, m] = floatBuffers(info, "params", "grads", "m");
  ArrayArg<double> nu = typedArray<double>(info, 3, "nu");
  const uint32_t* seg = nullptr;
  size_t numSeg = segmentsArg(info, 4, n, &seg);
  requireLength(info.Env(), nu.length, numSeg, "nu");
  optim::novograd(p, g, m, nu.data, seg, numSeg, n, lr, b1, b2, eps, wd, first);
}

void Madgrad(const Info& info) {
  ScalarsArg s(info, 5, "scalars");
  const float lr = s.f32("lr"), lamb = s.f32("lamb"), eps = s.f32("eps"), wd = s.f32("weightDecay");
  const double momentum = s.number("momentum");
  const bool decoupled = s.boolean("decoupled");
  auto [n, p, g, sum, nu, x0] = floatBuffers(info, "params", "grads", "s", "nu", "x0?");
  optim::madgrad(p, g, sum, nu, x0, n, lr, lamb, eps, momentum, wd, decoupled);
}

void OptimisticAmsgrad(const Info& info) {
  ScalarsArg s(info, 7, "scalars");
  const float lr = s.f32("lr");
  const double b1 = s.number("b1"), b2 = s.number("b2");
  auto [n, p, g, guess, m, v, vh, wh] = floatBuffers(info, "params", "grads", "guess", "m", "v", "vHat", "wHalf");
  optim::optimisticAmsgrad(p, g, guess, m, v, vh, wh, n, lr, b1, b2);
}

void Gravity(const Info& info) {
  auto [n, p, g, vel] = floatBuffers(info, "params", "grads", "vel");
  const uint32_t* seg = nullptr;
  size_t numSeg = segmentsArg(info, 3, n, &seg);
  optim::gravity(p, g, vel, seg, numSeg, n, f32(info, 4, "lr"), number(info, 5, "betaHat"));
}

void Aegd(const Info& info) {
  auto [n, p, g, r] = floatBuffers(info, "params", "grads", "energy");
  optim::aegd(p, g, r, n, f32(info, 3, "lr"), f32(info, 4, "gradScale"), f32(info, 5, "weightDecay"));
}

void SwatsAdam(const Info& info) {
  ScalarsArg s(info, 4, "scalars");
  const double b1 = s.number("b1"), b2 = s.number("b2");
  const float eps = s.f32("eps"), stepSize = s.f32("stepSize"), wd = s.f32("weightDecay");
  auto [n, p, g, m, a] = floatBuffers(info, "params", "grads", "m", "a");
  ArrayArg<double> dots = typedArray<double>(info, 5, "dots", 2);
  optim::swatsAdam(p, g, m, a, n, b1, b2, eps, stepSize, wd, dots.data);
}

void ComplexMomentum(const Info& info) {
  auto [n, p, g, re, im] = floatBuffers(info, "params", "grads", "muRe", "muIm");
  optim::complexMomentum(p, g, re, im, n, f32(info, 4, "lr"), f32(info, 5, "betaRe"), f32(info, 6, "betaIm"));
}

void GrokfastEma(const Info& info) {
  auto [n, g, mu] = floatBuffers(info, "grads", "mu");
  optim::grokfastEma(g, mu, n, number(info, 2, "alpha"), f32(info, 3, "lamb"), boolean(info, 4, "first"));
}

void ClipByValue(const Info& info) {
  auto [n, g] = floatBuffers(info, "grads");
  optim::clipByValue(g, n, f32(info, 1, "lo"), f32(info, 2, "hi"));
}

void LookaheadSync(const Info& info) {
  auto [n, fast, slow] = floatBuffers(info, "fast", "slow");
  optim::lookaheadSync(fast, slow, n, number(info, 2, "alpha"));
}

void StreamCopy(const Info& info) {
  auto [n, dst, src] = floatBuffers(info, "dst", "src");
  optim::streamCopy(dst, src, n);
}

void StreamTriad(const Info& info) {
  auto [n, a, b, c] = floatBuffers(info, "a", "b", "c");
  optim::streamTriad(a, b, c, n, f32(info, 3, "s"));
}

// Shampoo's float64 factors (core/optim/eigen_sym.h): sizes are explicit, lengths checked here.
size_t sideArg(const Info& info, size_t i, const char* name) {
  return static_cast<size_t>(integer(info, i, name, 0, 1 << 14));
}

void SymEigen(const Info& info) {
  const size_t n = sideArg(info, 1, "n");
  ArrayArg<double> a = typedArray<double>(info, 0, "a", n * n);
  ArrayArg<double> values = typedArray<double>(info, 2, "values", n);
  ArrayArg<double> vectors = typedArray<double>(info, 3, "vectors", n * n);
  optim::symEigen(a.data, n, values.data, vectors.data);
}

void InverseRoot(const Info& info) {
  const size_t n = sideArg(info, 1, "n");
  const double root = number(info, 2, "root"), eps = number(info, 3, "eps");
  if (!(root > 0)) throwRange(info.Env(), "root: expected a number > 0");
  if (!(eps >= 0)) throwRange(info.Env(), "eps: expected a number >= 0");
  ArrayArg<double> a = typedArray<double>(info, 0, "a", n * n);
  ArrayArg<double> out = typedArray<double>(info, 4, "out", n * n);
  optim::inverseRoot(a.data, n, root, eps, out.data);
}

void ShampooStats(const Info& info) {
  const size_t rows = sideArg(info, 1, "rows"), cols = sideArg(info, 2, "cols");
  const double decay = number(info, 5, "decay"), weight = number(info, 6, "weight");
  ArrayArg<float> g = typedArray<float>(info, 0, "g", rows * cols);
  ArrayArg<double> l = typedArray<double>(info, 3, "l", rows * rows);
  ArrayArg<double> r = typedArray<double>(info, 4, "r", cols * cols);
  optim::shampooStats(g.data, rows, cols, l.data, r.data, decay, weight);
}

void ShampooPrecondition(const Info& info) {
  const size_t rows = sideArg(info, 1, "rows"), cols = sideArg(info, 2, "cols");
  ArrayArg<float> g = typedArray<float>(info, 0, "g", rows * cols);
  ArrayArg<double> lRoot = typedArray<double>(info, 3, "lRoot", rows * rows);
  ArrayArg<double> rRoot = typedArray<double>(info, 4, "rRoot", cols * cols);
  ArrayArg<float> out = typedArray<float>(info, 5, "out", rows * cols);
  optim::shampooPrecondition(g.data, rows, cols, lRoot.data, rRoot.data, out.data);
}

}  // namespace

void RegisterOptim(Napi::Env env, Napi::Object exports) {
  static constexpr KernelRow rows[] = {
      {"optimSgd(p, g, lr, weightDecay)", Sgd},
      {"optimSgdMomentum(p, g, buf, lr, momentum, dampening, weightDecay, nesterov, first)", SgdMomentum},
      {"optimAdagrad(p, g, sum, lr, eps, weightDecay)", Adagrad},
      {"optimAdadelta(p, g, sqAvg, accDelta, lr, rho, eps, weightDecay)", Adadelta},
      {"optimRmsprop(p, g, sqAvg, gAvg?, buf?, scalars: RmspropScalars)", Rmsprop},
      {"optimAdam(p, g, m, v, vMax?, scalars: AdamScalars)", Adam},
      {"optimAdamPredict(p, m, v, out, stepSize, invBc2Sqrt, eps)", AdamPredict},
      {"optimAdamax(p, g, m, u, b1, b2, eps, stepSize, weightDecay)", Adamax},
      {"optimNadam(p, g, m, v, scalars: NadamScalars)", Nadam},
      {"optimYogi(p, g, m, v, b1, b2, eps, stepSize, invBc2)", Yogi},
      {"optimGrams(p, g, m, v, scalars: GramsScalars)", Grams},
      {"optimDiffgrad(p, g, m, v, gPrev, scalars: DiffgradScalars)", Diffgrad},
      {"optimLion(p, g, m, lr, b1, b2, decay)", Lion},
      {"optimNovograd(p, g, m, nu: Float64Array, segments: Uint32Array, scalars: NovogradScalars)", Novograd},
      {"optimMadgrad(p, g, s, nu, x0?, scalars: MadgradScalars)", Madgrad},
      {"optimOptimisticAmsgrad(p, g, guess, m, v, vHat, wHalf, scalars: OptimisticAmsgradScalars)", OptimisticAmsgrad},
      {"optimGravity(p, g, vel, segments: Uint32Array, lr, betaHat)", Gravity},
      {"optimAegd(p, g, energy, lr, gradScale, weightDecay)", Aegd},
      {"optimSwatsAdam(p, g, m, a, scalars: SwatsScalars, dots: Float64Array[2])", SwatsAdam},
      {"optimComplexMomentum(p, g, muRe, muIm, lr, betaRe, betaIm)", ComplexMomentum},
      {"optimGrokfastEma(g, mu, alpha, lamb, first)", GrokfastEma},
      {"optimClipByValue(g, lo, hi)", ClipByValue},
      {"optimLookaheadSync(fast, slow, alpha)", LookaheadSync},
      {"optimStreamCopy(dst, src)", StreamCopy},
      {"optimStreamTriad(a, b, c, s)", StreamTriad},
      {"optimSymEigen(a: Float64Array, n, values: Float64Array, vectors: Float64Array)", SymEigen},
      {"optimInverseRoot(a: Float64Array, n, root, eps, out: Float64Array)", InverseRoot},
      {"optimShampooStats(g, rows, cols, l: Float64Array, r: Float64Array, decay, weight)", ShampooStats},
      {"optimShampooPrecondition(g, rows, cols, lRoot: Float64Array, rRoot: Float64Array, out)", ShampooPrecondition},
  };
  registerKernels(env, exports, rows);
}

}  // namespace ol::napi
