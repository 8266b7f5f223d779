// core_check: a stand-alone C++ harness for native/core, run under valgrind memcheck by
// scripts/core-check.sh (`npm run test:valgrind`). It is not part of the addon (native/check is
// outside the source list of scripts/native_sources.cjs).
//
// It calls every kernel family through the core headers with inputs that exercise what the
// addon's glue lets through: sizes that end in vector tails (1, 7, 4097, ...), sizes that split
// over the thread pool (the pool is resized to 3 threads, and nested calls run inline), every env
// kind, every activation, every optimizer rule with its optional buffers present and absent, every
// rollout mode, every meta mode. Every output buffer is exactly as long as the kernel needs (heap
// allocations of that size), so an overrun lands in valgrind's red zone; every output is hashed.
//
// Checks of its own: the listed outputs are finite; the whole suite run twice gives the same
// hash per family (determinism); a third run with one thread gives the same hashes again
// (results do not depend on the thread count). Exit status 0 only when every check passed.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "core/bilevel/hypergrad.h"
#include "core/envs/env.h"
#include "core/es/perturb.h"
#include "core/es/population_rollout.h"
#include "core/es/ranks.h"
#include "core/es/weighted_sum.h"
#include "core/learned/mlp_step.h"
#include "core/learned/population.h"
#include "core/meta/loss.h"
#include "core/meta/meta.h"
#include "core/metarl/maml_products.h"
#include "core/nn/activation.h"
#include "core/nn/gemm.h"
#include "core/nn/gru.h"
#include "core/nn/lstm.h"
#include "core/nn/mlp.h"
#include "core/optim/optim.h"
#include "core/parallel.h"
#include "core/rl/objective.h"
#include "core/rng/philox.h"
#include "core/rollout/gae.h"
#include "core/rollout/rollout.h"
#include "core/simd.h"
#include "core/vec/vec.h"

namespace {

using std::vector;

// Outputs are allocated uninitialised (a vector whose elements are default-initialised), so
// memcheck reports any element a kernel leaves unwritten as soon as the harness hashes, compares
// or prints it.
template <class T>
struct NoInit : std::allocator<T> {
  using value_type = T;
  template <class U>
  struct rebind {
    using other = NoInit<U>;
  };
  NoInit() = default;
  template <class U>
  NoInit(const NoInit<U>&) {}
  template <class U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;
  }
  template <class U, class... A>
  void construct(U* p, A&&... a) {
    ::new (static_cast<void*>(p)) U(std::forward<A>(a)...);
  }
};
template <class T>
using Out = vector<T, NoInit<T>>;

int gFailures = 0;

void fail(const std::string& what) {
  std::fprintf(stderr, "core_check: FAIL %s\n", what.c_str());
  ++gFailures;
}

// FNV-1a over the bytes of every output, one digest per family.
struct Digest {
  uint64_t h = 1469598103934665603ull;
  void bytes(const void* p, size_t n) {
    const auto* b = static_cast<const unsigned char*>(p);
    for (size_t i = 0; i < n; ++i) h = (h ^ b[i]) * 1099511628211ull;
  }
  template <class T, class A>
  void add(const vector<T, A>& v) {
    if (!v.empty()) bytes(v.data(), v.size() * sizeof(T));
  }
  template <class T>
  void add(const T* p, size_t n) {
    if (n) bytes(p, n * sizeof(T));
  }
  void num(double x) { bytes(&x, sizeof x); }
};

// Deterministic test inputs (independent of the code under test).
struct Gen {
  uint64_t s;
  explicit Gen(uint64_t seed) : s(seed * 0x9E3779B97F4A7C15ull + 1) {}
  uint32_t u32() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return static_cast<uint32_t>(s >> 16);
  }
  float uniform(float lo, float hi) { return lo + (hi - lo) * static_cast<float>(u32() >> 8) * (1.0f / 16777216.0f); }
  vector<float> floats(size_t n, float lo = -1.0f, float hi = 1.0f) {
    vector<float> v(n);
    for (auto& x : v) x = uniform(lo, hi);
    return v;
  }
  vector<double> doubles(size_t n, double lo = -1.0, double hi = 1.0) {
    vector<double> v(n);
    for (auto& x : v) x = lo + (hi - lo) * (u32() / 4294967296.0);
    return v;
  }
  int32_t below(int32_t n) { return static_cast<int32_t>(u32() % static_cast<uint32_t>(n)); }
};

template <class T>
bool finite(const T* p, size_t n) {
  for (size_t i = 0; i < n; ++i)
    if (!std::isfinite(static_cast<double>(p[i]))) return false;
  return true;
}
template <class T, class A>
void requireFinite(const vector<T, A>& v, const std::string& what) {
  if (!finite(v.data(), v.size())) fail(what + ": non-finite output");
}
void requireFinite(double x, const std::string& what) {
  if (!std::isfinite(x)) fail(what + ": non-finite output");
}

const size_t kSizes[] = {1, 7, 4097};

// ---- rng ---------------------------------------------------------------------------------------
void checkRng(Digest& d) {
  using namespace ol::rng;
  const Key key{0x12345678u, 0x9abcdef0u};
  // 70001 words cover more than one 16384-block task, so the fills thread.
  for (size_t n : {size_t{1}, size_t{7}, size_t{4097}, size_t{70001}}) {
    for (uint64_t counter : {uint64_t{0}, uint64_t{0xFFFFFFFEull}}) {
      Out<uint32_t> bits(n);
      Out<float> u(n), z(n);
      fillBits(key, counter, bits.data(), n);
      fillUniform(key, counter, u.data(), n);
      fillNormal(key, counter, z.data(), n);
      for (float x : u)
        if (!(x >= 0.0f && x < 1.0f)) {
          fail("rng fillUniform: value outside [0, 1)");
          break;
        }
      requireFinite(z, "rng fillNormal");
      if (bits[n - 1] != wordAt(key, counter, n - 1)) fail("rng fillBits: last word differs from wordAt");
      d.add(bits);
      d.add(u);
      d.add(z);
    }
  }
  Key k = derive(key, 7, kSplitDomain), f = fold(key, 7);
  float z0, z1;
  boxMuller(0, 0xFFFFFFFFu, &z0, &z1);
  requireFinite(z0 + z1, "rng boxMuller at the ends");
  uint32_t words[] = {k.k0, k.k1, f.k0, f.k1};
  d.add(words, 4);
}

// ---- vec ---------------------------------------------------------------------------------------
void checkVec(Digest& d) {
  Gen g(2);
  for (size_t n : {size_t{1}, size_t{7}, size_t{4097}, size_t{70001}}) {
    vector<float> x = g.floats(n), y = g.floats(n);
    ol::vec::axpy(0.5f, x.data(), y.data(), n);
    ol::vec::scale(-1.5f, y.data(), n);
    double dot = ol::vec::dot(x.data(), y.data(), n);
    double sum = ol::vec::sum(y.data(), n);
    double ss = ol::vec::sumSquares(y.data(), n);
    requireFinite(dot + sum + ss, "vec reductions");
    if (!ol::vec::allFinite(y.data(), n)) fail("vec allFinite: false on finite input");
    y[n - 1] = NAN;
    if (ol::vec::allFinite(y.data(), n)) fail("vec allFinite: true with a NaN in the tail");
    y[n - 1] = 0.0f;
    d.add(y);
    d.num(dot);
    d.num(sum);
    d.num(ss);
  }
}

// ---- envs --------------------------------------------------------------------------------------
// One config per kind, in kinds.h order (PointRobot twice: sparse and dense). Short episode
// limits, so that truncation and autoreset happen often.
const int32_t kEnvConfigs[][4] = {
    {0, 30, 0, 0},  // CartPole
    {1, 12, 0, 0},  // Acrobot
    {2, 9, 0, 0},   // MountainCar
    {3, 11, 0, 0},  // MountainCarContinuous
    {4, 8, 0, 0},   // Pendulum
    {5, 6, 5, 0},   // Bandit, 5 arms
    {6, 7, 4, 3},   // TabularMDP, 4 states, 3 actions
    {7, 10, 0, 0},  // Navigation2D
    {8, 10, 0, 0},  // PointRobot, sparse
    {8, 10, 1, 0},  // PointRobot, dense
    {9, 20, 0, 0},  // Catch (episodes end on their own after 9 steps)
    {10, 10, 7, 0}, // TwoColorGrid, colours swap every 7 steps
    {11, 25, 0, 0}, // Snake (random moves die within a few steps; the limit binds sometimes)
};

ol::envs::Config parse(const int32_t* raw) {
  ol::envs::Config c{};
  if (const char* err = ol::envs::parseConfig(raw, &c)) fail(std::string("envs parseConfig: ") + err);
  return c;
}

// Valid actions for every row: discrete in [0, k), box values in [-2, 2] (beyond some boxes).
struct Actions {
  vector<int32_t> discrete;
  vector<float> box;
  const void* ptr() const { return discrete.empty() ? static_cast<const void*>(box.data()) : discrete.data(); }
  size_t count() const { return discrete.empty() ? box.size() : discrete.size(); }
};
Actions randomActions(const ol::envs::Dims& dm, size_t n, Gen& g) {
  Actions a;
  if (dm.discrete > 0) {
    a.discrete.resize(n);
    for (auto& x : a.discrete) x = g.below(dm.discrete);
  } else {
    a.box = g.floats(n * dm.action, -2.0f, 2.0f);
  }
  return a;
}

void checkEnvs(Digest& d) {
  using namespace ol::envs;
  Gen g(3);
  if (kNumKinds != 12) fail("envs: kinds.h lists " + std::to_string(kNumKinds) + " kinds; update core_check.cc");
  for (const auto& raw : kEnvConfigs) {
    const Config cfg = parse(raw);
    const Dims dm = dims(cfg);
    // 4097 rows split over the pool (step grain 2048, reset grain 512).
    for (size_t n : kSizes) {
      // Everything but the rng rows is written by sampleTasks, reset and step before it is read.
      Out<float> state(dm.state * n), tasks(dm.task * n), obs(dm.obs * n), finalObs(dm.obs * n), reward(n);
      Out<int32_t> elapsed(n);
      Out<uint32_t> rng(4 * n);
      Out<uint8_t> terminated(n), truncated(n);
      if (dm.task > 0) sampleTasks(cfg, ol::rng::Key{11, static_cast<uint32_t>(n)}, tasks.data(), n);
      seedRows(ol::rng::Key{5, static_cast<uint32_t>(raw[0])}, rng.data(), n);
      Batch b{n, state.data(), tasks.data(), elapsed.data(), rng.data()};
      reset(cfg, b, obs.data());
      requireFinite(obs, "envs reset");
      StepOut out{obs.data(), reward.data(), terminated.data(), truncated.data(), finalObs.data()};
      const int steps = n > 1000 ? 14 : 40;
      size_t ended = 0;
      for (int t = 0; t < steps; ++t) {
        Actions a = randomActions(dm, n, g);
        if (firstInvalidAction(cfg, a.ptr(), a.count()) != -1) fail("envs firstInvalidAction: flags a valid action");
        if (t % 2 == 0) {
          step(cfg, b, a.ptr(), out);
        } else {  // the rollout kernel's form, in two ranges
          stepRange(cfg, b, a.ptr(), out, 0, n / 2);
          stepRange(cfg, b, a.ptr(), out, n / 2, n);
        }
        for (size_t i = 0; i < n; ++i) ended += terminated[i] | truncated[i];
        d.add(obs);
        d.add(finalObs);
        d.add(reward);
        d.add(terminated);
        d.add(truncated);
      }
      if (ended == 0) fail("envs kind " + std::to_string(raw[0]) + ": no episode ended (autoreset not reached)");
      requireFinite(obs, "envs step obs");
      requireFinite(finalObs, "envs step finalObs");
      requireFinite(reward, "envs step reward");
      d.add(state);
      d.add(elapsed);
      d.add(rng);
      // An invalid action at the last position must be found.
      Actions bad = randomActions(dm, n, g);
      int64_t want;
      if (dm.discrete > 0) {
        bad.discrete[n - 1] = dm.discrete;
        want = static_cast<int64_t>(n - 1);
      } else {
        bad.box[bad.box.size() - 1] = NAN;
        want = static_cast<int64_t>(bad.box.size() - 1);
      }
      if (firstInvalidAction(cfg, bad.ptr(), bad.count()) != want) fail("envs firstInvalidAction: missed the last one");
      if (dm.discrete > 0) {
        bad.discrete[0] = -1;
        if (firstInvalidAction(cfg, bad.ptr(), bad.count()) != 0) fail("envs firstInvalidAction: missed a negative");
      }
    }
    if (dm.task > 0) {  // 70 tasks split over the pool (grain 64)
      Out<float> t(dm.task * 70);
      sampleTasks(cfg, ol::rng::Key{1, 2}, t.data(), 70);
      requireFinite(t, "envs sampleTasks");
      d.add(t);
    }
  }
  // Every config check answers (bad values are rejected with a message).
  const int32_t badConfigs[][4] = {{-1, 10, 0, 0}, {1000, 10, 0, 0}, {0, 0, 0, 0}, {5, 10, 1, 0},
                                   {6, 10, 0, 3},  {6, 10, 4, 65}, {8, 10, 2, 0}, {10, 10, 0, 0}};
  for (const auto& raw : badConfigs) {
    Config c{};
    if (parseConfig(raw, &c) == nullptr) fail("envs parseConfig: accepted a bad config");
  }
}

// ---- nn ----------------------------------------------------------------------------------------
struct Shape {
  vector<int32_t> sizes;
  size_t batch;
};

void checkNn(Digest& d) {
  using namespace ol::nn;
  Gen g(4);
  // Widths with vector tails; the last shape is big enough for the row passes and the
  // parameter-gradient passes to split over the pool.
  const Shape shapes[] = {{{1, 1}, 1}, {{3, 7, 2}, 7}, {{5, 33, 17, 4}, 9}, {{8, 64, 64, 5}, 70}};
  for (const Shape& sh : shapes) {
    for (int act = 0; act < kNumActivations; ++act) {
      const MlpSpec spec{sh.sizes.data(), static_cast<int>(sh.sizes.size()) - 1, static_cast<Activation>(act),
                         static_cast<Activation>((act + 3) % kNumActivations)};
      const size_t B = sh.batch, in = static_cast<size_t>(sh.sizes.front()),
                   out = static_cast<size_t>(sh.sizes.back()), P = mlpParamCount(spec);
      vector<float> params = g.floats(P, -0.5f, 0.5f), x = g.floats(B * in, -2.0f, 2.0f), v = g.floats(P);
      vector<float> dy = g.floats(B * out), hy = g.floats(B * out);
      Out<float> y(B * out), yRows(B * out), ws(mlpForwardWorkspace(spec, B));
      mlpForward(spec, params.data(), x.data(), B, y.data());
      mlpForwardRows(spec, params.data(), x.data(), B, yRows.data(), ws.data());
      if (std::memcmp(y.data(), yRows.data(), y.size() * sizeof(float)) != 0)
        fail("nn mlpForward and mlpForwardRows differ");
      requireFinite(y, "nn mlpForward");

      Out<float> tape(mlpTapeSize(spec, B, false));
      mlpForwardTape(spec, params.data(), x.data(), B, tape.data());
      Out<float> gP(P), gX(B * in), gP2(P), gX2(B * in);
      mlpBackwardTape(spec, params.data(), x.data(), B, tape.data(), dy.data(), gP.data(), gX.data());
      mlpBackwardTape(spec, params.data(), x.data(), B, tape.data(), dy.data(), gP2.data(), nullptr);
      if (gP != gP2) fail("nn mlpBackwardTape: gParams depends on whether gInputs is asked for");
      mlpVjp(spec, params.data(), x.data(), B, dy.data(), gP2.data(), gX2.data());
      mlpVjp(spec, params.data(), x.data(), B, dy.data(), gP2.data(), nullptr);
      requireFinite(gP, "nn mlpBackwardTape");
      requireFinite(gX, "nn mlpBackwardTape gInputs");

      Out<float> jy(B * out), jdot(B * out), jdot2(B * out);
      mlpJvp(spec, params.data(), x.data(), B, v.data(), jy.data(), jdot.data());
      mlpJvp(spec, params.data(), x.data(), B, v.data(), nullptr, jdot2.data());
      requireFinite(jdot, "nn mlpJvp");

      Out<float> ttape(mlpTapeSize(spec, B, true)), hv(P), hv2(P), hg(P);
      mlpForwardTangentTape(spec, params.data(), x.data(), B, v.data(), ttape.data());
      mlpHvpBackwardTape(spec, params.data(), x.data(), B, v.data(), ttape.data(), dy.data(), hy.data(), hv.data(),
                         hg.data());
      mlpHvpBackwardTape(spec, params.data(), x.data(), B, v.data(), ttape.data(), dy.data(), hy.data(), hv2.data(),
                         nullptr);
      if (hv != hv2) fail("nn mlpHvpBackwardTape: hv depends on whether gParams is asked for");
      requireFinite(hv, "nn mlpHvpBackwardTape");

      // Three tasks, the middle one empty.
      const int T = 3;
      vector<int32_t> rowStart = {0, static_cast<int32_t>(B), static_cast<int32_t>(B), static_cast<int32_t>(2 * B)};
      vector<float> bParams = g.floats(T * P, -0.5f, 0.5f), bx = g.floats(2 * B * in);
      vector<float> bdy = g.floats(2 * B * out);
      Out<float> by(2 * B * out), bgP(T * P), bgX(2 * B * in);  // bgP: zeros for the empty task
      mlpForwardBatched(spec, T, bParams.data(), bx.data(), rowStart.data(), by.data());
      mlpVjpBatched(spec, T, bParams.data(), bx.data(), rowStart.data(), bdy.data(), bgP.data(), bgX.data());
      mlpVjpBatched(spec, T, bParams.data(), bx.data(), rowStart.data(), bdy.data(), bgP.data(), nullptr);
      requireFinite(by, "nn mlpForwardBatched");
      requireFinite(bgP, "nn mlpVjpBatched");

      for (const auto* buf : {&y, &tape, &gP, &gX, &gX2, &jy, &jdot, &jdot2, &ttape, &hv, &hg, &by, &bgP, &bgX})
        d.add(*buf);
    }
  }
  // The elementwise passes and the matrix products on their own, over tails.
  for (size_t n : kSizes) {
    vector<float> z = g.floats(n, -4.0f, 4.0f), in = g.floats(n), zdot = g.floats(n);
    Out<float> a(n), o(n), dz(n), rdz(n);
    for (int act = 0; act < kNumActivations; ++act) {
      auto f = static_cast<Activation>(act);
      activate(f, z.data(), a.data(), n);
      activationScale(f, z.data(), a.data(), in.data(), o.data(), n);
      activationRBackward(f, z.data(), a.data(), zdot.data(), in.data(), zdot.data(), dz.data(), rdz.data(), n);
      requireFinite(rdz, "nn activationRBackward");
      d.add(a);
      d.add(o);
      d.add(dz);
      d.add(rdz);
    }
  }
  for (size_t M : {size_t{1}, size_t{7}, size_t{33}})
    for (size_t N : {size_t{1}, size_t{5}, size_t{17}})
      for (size_t K : {size_t{1}, size_t{9}}) {
        vector<float> A = g.floats(M * K), Bm = g.floats(K * N), bias = g.floats(N);
        Out<float> At(K * M), C(M * N);
        transpose(A.data(), M, K, At.data());
        gemmNN(M, N, K, A.data(), K, 1, Bm.data(), N, C.data(), N, false);
        gemmNN(M, N, K, At.data(), 1, M, Bm.data(), N, C.data(), N, true);  // A passed as its transpose
        d.add(C);
        for (int act = 0; act < kNumActivations; ++act) {
          gemmBiasAct(M, N, K, A.data(), K, Bm.data(), N, bias.data(), C.data(), N, static_cast<Activation>(act));
          d.add(C);
        }
        requireFinite(C, "nn gemmBiasAct");
      }
  // GRU forward (with and without a tape) and BPTT (full and truncated, optional outputs absent),
  // with resets; the last shape splits the batch over the pool.
  const GruSpec gruShapes[] = {{1, 1, 1, 1}, {3, 7, 4, 5}, {8, 17, 3, 33}};
  for (const GruSpec& s : gruShapes) {
    const size_t TB = s.steps * s.batch, P = gruParamCount(s.in, s.hidden);
    vector<float> params = g.floats(P, -0.5f, 0.5f), xs = g.floats(TB * s.in), h0 = g.floats(s.batch * s.hidden),
                  dHs = g.floats(TB * s.hidden);
    vector<uint8_t> resets(TB);
    for (size_t i = 0; i < TB; ++i) resets[i] = i % 3 == 1;
    Out<float> hs(TB * s.hidden), hs2(TB * s.hidden), tape(gruTapeSize(s)), work(gruWorkSize(s)), gP(P), gP2(P),
        gX(TB * s.in), gH(s.batch * s.hidden);
    gruForward(s, params.data(), xs.data(), h0.data(), resets.data(), hs.data(), tape.data());
    gruForward(s, params.data(), xs.data(), h0.data(), resets.data(), hs2.data(), nullptr);
    if (hs != hs2) fail("nn gruForward: hs depends on whether a tape is recorded");
    for (size_t truncate : {size_t{0}, size_t{2}}) {
      gruBackward(s, truncate, params.data(), xs.data(), resets.data(), tape.data(), dHs.data(), gP.data(), gX.data(),
                  gH.data(), work.data());
      gruBackward(s, truncate, params.data(), xs.data(), resets.data(), tape.data(), dHs.data(), gP2.data(), nullptr,
                  nullptr, work.data());
      if (gP != gP2) fail("nn gruBackward: gParams depends on whether gXs and gH0 are asked for");
      requireFinite(gP, "nn gruBackward");
      requireFinite(gX, "nn gruBackward gXs");
      requireFinite(gH, "nn gruBackward gH0");
      d.add(gP);
      d.add(gX);
      d.add(gH);
    }
    gruForward(s, params.data(), xs.data(), nullptr, nullptr, hs2.data(), nullptr);
    requireFinite(hs, "nn gruForward");
    d.add(hs);
    d.add(hs2);
  }
  // LSTM: the same shapes and passes, with c0 and gC0.
  for (const LstmSpec& s : gruShapes) {
    const size_t TB = s.steps * s.batch, P = lstmParamCount(s.in, s.hidden), BH = s.batch * s.hidden;
    vector<float> params = g.floats(P, -0.5f, 0.5f), xs = g.floats(TB * s.in), h0 = g.floats(BH), c0 = g.floats(BH),
                  dHs = g.floats(TB * s.hidden);
    vector<uint8_t> resets(TB);
    for (size_t i = 0; i < TB; ++i) resets[i] = i % 3 == 1;
    Out<float> hs(TB * s.hidden), hs2(TB * s.hidden), cs(TB * s.hidden), cs2(TB * s.hidden), tape(lstmTapeSize(s)),
        work(lstmWorkSize(s)), gP(P), gP2(P), gX(TB * s.in), gH(BH), gC(BH);
    lstmForward(s, params.data(), xs.data(), h0.data(), c0.data(), resets.data(), hs.data(), cs.data(), tape.data());
    lstmForward(s, params.data(), xs.data(), h0.data(), c0.data(), resets.data(), hs2.data(), cs2.data(), nullptr);
    if (hs != hs2 || cs != cs2) fail("nn lstmForward: states depend on whether a tape is recorded");
    for (size_t truncate : {size_t{0}, size_t{2}}) {
      lstmBackward(s, truncate, params.data(), xs.data(), resets.data(), tape.data(), dHs.data(), gP.data(),
                   gX.data(), gH.data(), gC.data(), work.data());
      lstmBackward(s, truncate, params.data(), xs.data(), resets.data(), tape.data(), dHs.data(), gP2.data(), nullptr,
                   nullptr, nullptr, work.data());
      if (gP != gP2) fail("nn lstmBackward: gParams depends on whether gXs, gH0 and gC0 are asked for");
      requireFinite(gP, "nn lstmBackward");
      requireFinite(gC, "nn lstmBackward gC0");
      d.add(gP);
      d.add(gX);
      d.add(gH);
      d.add(gC);
    }
    requireFinite(hs, "nn lstmForward");
    d.add(hs);
    d.add(cs);
  }
}

// ---- optim -------------------------------------------------------------------------------------
void checkOptim(Digest& d) {
  using namespace ol::optim;
  Gen gen(5);
  // 70001 elements split over the pool (grain 32768).
  for (size_t n : {size_t{1}, size_t{7}, size_t{4097}, size_t{70001}}) {
    const vector<float> p0 = gen.floats(n), g0 = gen.floats(n, -0.1f, 0.1f), guess = gen.floats(n, -0.1f, 0.1f);
    auto fresh = [&] { return p0; };
    auto zeros = [&] { return vector<float>(n, 0.0f); };
    auto positive = [&] { return gen.floats(n, 0.01f, 0.2f); };
    auto finish = [&](const auto& p, const char* rule) {
      requireFinite(p, std::string("optim ") + rule + " n=" + std::to_string(n));
      d.add(p);
    };
    const int kSteps = 3;
    {
      auto p = fresh();
      for (int t = 0; t < kSteps; ++t) sgd(p.data(), g0.data(), n, 0.1f, 0.01f);
      finish(p, "sgd");
    }
    for (bool nesterov : {false, true}) {
      auto p = fresh();
      auto buf = zeros();
      for (int t = 0; t < kSteps; ++t)
        sgdMomentum(p.data(), g0.data(), buf.data(), n, 0.1f, 0.9, 0.1, 0.01f, nesterov, t == 0);
      finish(p, "sgdMomentum");
      d.add(buf);
    }
    {
      auto p = fresh();
      auto sum = zeros();
      for (int t = 0; t < kSteps; ++t) adagrad(p.data(), g0.data(), sum.data(), n, 0.1f, 1e-10f, 0.01f);
      finish(p, "adagrad");
    }
    {
      auto p = fresh();
      auto sq = zeros(), acc = zeros();
      for (int t = 0; t < kSteps; ++t) adadelta(p.data(), g0.data(), sq.data(), acc.data(), n, 1.0f, 0.9, 1e-6f, 0.01f);
      finish(p, "adadelta");
    }
    for (int variant = 0; variant < 4; ++variant) {  // centered x momentum
      auto p = fresh();
      auto sq = zeros(), gAvg = zeros(), buf = zeros();
      for (int t = 0; t < kSteps; ++t)
        rmsprop(p.data(), g0.data(), sq.data(), (variant & 1) ? gAvg.data() : nullptr,
                (variant & 2) ? buf.data() : nullptr, n, 0.01f, 0.99, 1e-8f, (variant & 2) ? 0.9f : 0.0f, 0.01f);
      finish(p, "rmsprop");
    }
    for (bool ams : {false, true}) {
      auto p = fresh();
      auto m = zeros(), v = zeros(), vMax = zeros();
      Out<float> pred(n);
      for (int t = 1; t <= kSteps; ++t) {
        AdamScalars s{0.9, 0.999, 1e-8f, static_cast<float>(1e-3 / (1 - std::pow(0.9, t))),
                      static_cast<float>(1 / std::sqrt(1 - std::pow(0.999, t))), ams ? 0.0f : 0.01f,
                      ams ? 1.0f - 1e-5f : 1.0f};
        adam(p.data(), g0.data(), m.data(), v.data(), ams ? vMax.data() : nullptr, n, s);
        adamPredict(p.data(), m.data(), v.data(), pred.data(), n, s.stepSize, s.invBc2Sqrt, s.eps);
      }
      finish(p, "adam");
      finish(pred, "adamPredict");
    }
    {
      auto p = fresh();
      auto m = zeros(), u = zeros();
      for (int t = 0; t < kSteps; ++t) adamax(p.data(), g0.data(), m.data(), u.data(), n, 0.9, 0.999f, 1e-8f, 2e-3f, 0.01f);
      finish(p, "adamax");
    }
    {
      auto p = fresh();
      auto m = zeros(), v = zeros();
      for (int t = 0; t < kSteps; ++t)
        nadam(p.data(), g0.data(), m.data(), v.data(), n, 0.9, 0.999, 1e-8f, 1.5f, 1e-3f, 1e-3f, 0.01f, 0.9999f);
      finish(p, "nadam");
    }
    {
      auto p = fresh();
      auto m = zeros(), v = zeros();
      for (int t = 0; t < kSteps; ++t) yogi(p.data(), g0.data(), m.data(), v.data(), n, 0.9, 0.999, 1e-3f, 0.01f, 1.2f);
      finish(p, "yogi");
    }
    {
      auto p = fresh();
      auto m = zeros(), v = zeros();
      for (int t = 0; t < kSteps; ++t)
        grams(p.data(), g0.data(), m.data(), v.data(), n, 0.9, 0.999, 1e-8f, 1e-3f, 1.3f, 0.9999f);
      finish(p, "grams");
    }
    {
      auto p = fresh();
      auto m = zeros(), v = zeros(), gPrev = zeros();
      for (int t = 0; t < kSteps; ++t)
        diffgrad(p.data(), g0.data(), m.data(), v.data(), gPrev.data(), n, 0.9, 0.999, 1e-8f, 1e-3f, 0.01f);
      finish(p, "diffgrad");
    }
    {
      auto p = fresh();
      auto m = zeros();
      for (int t = 0; t < kSteps; ++t) lion(p.data(), g0.data(), m.data(), n, 1e-4f, 0.9, 0.99, 0.99999f);
      finish(p, "lion");
    }
    // Segments: halves (the first may be empty), and one segment that leaves a gap.
    vector<uint32_t> seg = {0, static_cast<uint32_t>(n / 2), static_cast<uint32_t>(n / 2),
                            static_cast<uint32_t>(n - n / 2)};
    vector<uint32_t> gap = {static_cast<uint32_t>(n / 3), static_cast<uint32_t>(n - n / 3)};
    for (const auto* s : {&seg, &gap}) {
      auto p = fresh();
      auto m = zeros();
      vector<double> nu(s->size() / 2);
      for (int t = 0; t < kSteps; ++t)
        novograd(p.data(), g0.data(), m.data(), nu.data(), s->data(), s->size() / 2, n, 1e-3f, 0.9f, 0.999, 1e-8f,
                 0.01f, t == 0);
      finish(p, "novograd");
      d.add(nu);
      auto q = fresh();
      auto vel = zeros();
      for (int t = 0; t < kSteps; ++t)
        gravity(q.data(), g0.data(), vel.data(), s->data(), s->size() / 2, n, 0.1f, (0.9 * t + 1) / (t + 2));
      finish(q, "gravity");
    }
    for (int variant = 0; variant < 3; ++variant) {  // x0 present (momentum), absent, decoupled decay
      auto p = fresh();
      auto s = zeros(), nu = zeros(), x0 = fresh();
      for (int t = 0; t < kSteps; ++t)
        madgrad(p.data(), g0.data(), s.data(), nu.data(), variant == 0 ? x0.data() : nullptr, n, 1e-2f + 1e-6f,
                static_cast<float>(1e-2 * std::sqrt(t + 1)), 1e-6f, variant == 0 ? 0.9 : 0.0, 0.01f, variant == 2);
      finish(p, "madgrad");
    }
    {
      auto p = fresh();
      auto m = zeros(), v = zeros(), vh = zeros(), wh = fresh();
      for (int t = 0; t < kSteps; ++t)
        optimisticAmsgrad(p.data(), g0.data(), guess.data(), m.data(), v.data(), vh.data(), wh.data(), n, 1e-3f, 0.9,
                          0.999);
      finish(p, "optimisticAmsgrad");
      d.add(wh);
    }
    {
      auto p = fresh();
      vector<float> energy(n, 1.0f);
      for (int t = 0; t < kSteps; ++t) aegd(p.data(), g0.data(), energy.data(), n, 0.1f, 0.25f, 0.01f);
      finish(p, "aegd");
      d.add(energy);
    }
    {
      auto p = fresh();
      auto m = zeros(), a = zeros();
      double dots[2];
      for (int t = 0; t < kSteps; ++t)
        swatsAdam(p.data(), g0.data(), m.data(), a.data(), n, 0.9, 0.999, 1e-8f, 1e-3f, 0.01f, dots);
      finish(p, "swatsAdam");
      requireFinite(dots[0] + dots[1], "optim swatsAdam dots");
      d.add(dots, 2);
    }
    {
      auto p = fresh();
      auto re = zeros(), im = zeros();
      for (int t = 0; t < kSteps; ++t) complexMomentum(p.data(), g0.data(), re.data(), im.data(), n, 0.1f, 0.8f, 0.3f);
      finish(p, "complexMomentum");
    }
    {
      auto gr = g0;
      auto mu = zeros();
      for (int t = 0; t < kSteps; ++t) grokfastEma(gr.data(), mu.data(), n, 0.98, 2.0f, t == 0);
      clipByValue(gr.data(), n, -0.05f, 0.05f);
      finish(gr, "grokfast+clip");
      auto fast = positive(), slow = fresh();
      lookaheadSync(fast.data(), slow.data(), n, 0.5f);
      finish(fast, "lookahead");
      Out<float> a(n);
      vector<float> b = positive(), c = positive();
      streamCopy(a.data(), b.data(), n);
      streamTriad(a.data(), b.data(), c.data(), n, 3.0f);
      finish(a, "stream");
    }
  }
}

// ---- rollout and gae ---------------------------------------------------------------------------
struct RolloutCase {
  const char* name;
  int32_t config[4];
  size_t N, T;
  ol::rollout::ValueMode valueMode;
  bool obsStats, heads, actionBox;
};

// A policy MLP obs -> width (tanh hidden), its parameters.
struct NetBuf {
  vector<int32_t> sizes;
  vector<float> params;
  ol::rollout::Net net() const {
    return ol::rollout::Net{{sizes.data(), static_cast<int>(sizes.size()) - 1, ol::nn::Activation::Tanh,
                             ol::nn::Activation::Identity},
                            params.data()};
  }
};
NetBuf makeNet(size_t in, size_t hidden, size_t out, Gen& g) {
  NetBuf n;
  n.sizes = {static_cast<int32_t>(in), static_cast<int32_t>(hidden), static_cast<int32_t>(out)};
  n.params = g.floats(ol::nn::mlpParamCount(n.net().spec), -0.5f, 0.5f);
  return n;
}

void checkRollout(Digest& d) {
  using namespace ol::rollout;
  Gen g(6);
  const RolloutCase cases[] = {
      // name, config, N, T, value, obsStats, heads, box clip
      {"cartpole head", {0, 20, 0, 0}, 7, 33, ValueMode::Head, false, true, false},
      {"cartpole separate stats threaded", {0, 15, 0, 0}, 130, 9, ValueMode::Separate, true, false, false},
      {"cartpole none threaded", {0, 25, 0, 0}, 200, 6, ValueMode::None, false, false, false},
      {"acrobot head stats", {1, 10, 0, 0}, 3, 14, ValueMode::Head, true, true, false},
      {"pendulum gaussian clipped stats threaded", {4, 8, 0, 0}, 70, 12, ValueMode::None, true, true, true},
      {"mountaincar-continuous gaussian separate", {3, 9, 0, 0}, 5, 25, ValueMode::Separate, false, true, false},
      {"navigation2d gaussian head tasks", {7, 6, 0, 0}, 9, 20, ValueMode::Head, false, false, true},
      {"bandit many arms", {5, 5, 100, 0}, 4, 12, ValueMode::Head, false, true, false},
      {"tabular mdp tasks stats", {6, 7, 5, 4}, 6, 15, ValueMode::Separate, true, true, false},
  };
  for (const RolloutCase& c : cases) {
    const ol::envs::Config cfg = parse(c.config);
    const ol::envs::Dims dm = ol::envs::dims(cfg);
    const size_t N = c.N, T = c.T, TN = T * N;
    const bool discrete = dm.discrete > 0;
    const size_t k = discrete ? static_cast<size_t>(dm.discrete) : dm.action;
    vector<float> state(dm.state * N), tasks(dm.task * N), obs(dm.obs * N);
    vector<int32_t> elapsed(N);
    vector<uint32_t> rng(4 * N);
    if (dm.task > 0) ol::envs::sampleTasks(cfg, ol::rng::Key{3, 4}, tasks.data(), N);
    ol::envs::seedRows(ol::rng::Key{9, 9}, rng.data(), N);
    ol::envs::Batch b{N, state.data(), tasks.data(), elapsed.data(), rng.data()};
    ol::envs::reset(cfg, b, obs.data());

    NetBuf policy = makeNet(dm.obs, 17, k + (c.valueMode == ValueMode::Head ? 1 : 0), g);
    NetBuf value = makeNet(dm.obs, 9, 1, g);
    vector<float> logStd = g.floats(discrete ? 0 : dm.action, -0.5f, 0.0f);
    vector<float> low(c.actionBox ? dm.action : 0, -1.0f), high(c.actionBox ? dm.action : 0, 1.0f);
    vector<double> stats;
    if (c.obsStats) {
      stats.assign(1 + 2 * dm.obs, 0.0);
      stats[0] = 1e-4;
      for (size_t j = 0; j < dm.obs; ++j) stats[1 + dm.obs + j] = 1.0;
    }
    // Every trajectory buffer is an output the call overwrites in full; the running sums carry.
    Out<float> trajObs(TN * dm.obs), logProbs(TN), heads(c.heads ? TN * k : 0), values(TN), rewards(TN),
        finalValues(TN), lastValues(N), doneReturn(TN);
    Out<int32_t> actionsI(discrete ? TN : 0), doneLength(TN);
    Out<float> actionsF(discrete ? 0 : TN * dm.action);
    Out<uint8_t> terminated(TN), truncated(TN);
    vector<float> episodeReturn(N);
    vector<int32_t> episodeLength(N);

    RolloutArgs a{};
    a.cfg = cfg;
    a.env = b;
    a.obs = obs.data();
    a.T = T;
    a.key = ol::rng::Key{21, 42};
    a.counter = 1000;
    a.policy = policy.net();
    a.logStd = discrete ? nullptr : logStd.data();
    a.valueMode = c.valueMode;
    if (c.valueMode == ValueMode::Separate) a.value = value.net();
    a.actionLow = c.actionBox ? low.data() : nullptr;
    a.actionHigh = c.actionBox ? high.data() : nullptr;
    a.obsStats = c.obsStats ? stats.data() : nullptr;
    a.clipObs = 10.0;
    a.trajObs = trajObs.data();
    a.actions = discrete ? static_cast<void*>(actionsI.data()) : static_cast<void*>(actionsF.data());
    a.logProbs = logProbs.data();
    a.heads = c.heads ? heads.data() : nullptr;
    a.values = values.data();
    a.rewards = rewards.data();
    a.terminated = terminated.data();
    a.truncated = truncated.data();
    a.finalValues = finalValues.data();
    a.lastValues = lastValues.data();
    a.episodeReturn = episodeReturn.data();
    a.episodeLength = episodeLength.data();
    a.doneReturn = doneReturn.data();
    a.doneLength = doneLength.data();
    // Two calls: the second continues the episodes (running sums, counter, statistics carried).
    for (int call = 0; call < 2; ++call) {
      a.counter = 1000 + static_cast<uint64_t>(call) * T * blocksPerStep(dm);
      run(a);
      const std::string what = std::string("rollout ") + c.name;
      requireFinite(logProbs, what + " logProbs");
      requireFinite(values, what + " values");
      requireFinite(rewards, what + " rewards");
      requireFinite(trajObs, what + " trajObs");
      requireFinite(finalValues, what + " finalValues");
      requireFinite(lastValues, what + " lastValues");
      requireFinite(heads, what + " heads");
      requireFinite(stats, what + " obsStats");
      requireFinite(actionsF, what + " actions");
      for (int32_t x : actionsI)
        if (x < 0 || x >= dm.discrete) {
          fail(what + ": action out of range");
          break;
        }
      for (const auto* v : {&trajObs, &logProbs, &heads, &values, &rewards, &finalValues, &lastValues, &doneReturn,
                            &actionsF})
        d.add(*v);
      d.add(obs);
      d.add(episodeReturn);
      d.add(actionsI);
      d.add(episodeLength);
      d.add(doneLength);
      d.add(terminated);
      d.add(truncated);
      d.add(stats);
      d.add(state);
      d.add(rng);

      // GAE over what the rollout stored, with both outputs, with one, with the other.
      GaeInput in{T, N, rewards.data(), values.data(), terminated.data(), truncated.data(), finalValues.data(),
                  lastValues.data(), 0.99f, 0.95f};
      Out<float> adv(TN), ret(TN), adv2(TN), ret2(TN);
      gae(in, adv.data(), ret.data());
      gae(in, adv2.data(), nullptr);
      gae(in, nullptr, ret2.data());
      if (adv != adv2 || ret != ret2) fail(what + ": gae outputs depend on which are asked for");
      requireFinite(adv, what + " gae");
      d.add(adv);
      d.add(ret);
    }
  }
  // GAE alone over 2050 envs (split over the pool, grain 1024), random flags.
  const size_t T = 3, N = 2050, TN = T * N;
  vector<float> r = g.floats(TN), v = g.floats(TN), fv = g.floats(TN), lv = g.floats(N);
  Out<float> adv(TN), ret(TN);
  vector<uint8_t> te(TN), tr(TN);
  for (size_t i = 0; i < TN; ++i) {
    te[i] = g.below(7) == 0;
    tr[i] = g.below(5) == 0;
  }
  gae(GaeInput{T, N, r.data(), v.data(), te.data(), tr.data(), fv.data(), lv.data(), 0.9f, 0.8f}, adv.data(),
      ret.data());
  requireFinite(adv, "gae threaded");
  d.add(adv);
  d.add(ret);
}

// ---- es ----------------------------------------------------------------------------------------
void checkEs(Digest& d) {
  using namespace ol::es;
  Gen g(7);
  const size_t tableLen = 20000;
  const vector<float> table = g.floats(tableLen, -2.0f, 2.0f);
  for (size_t dim : kSizes) {
    const size_t numNoise = 9;
    vector<uint32_t> idx(numNoise);
    for (auto& i : idx) i = g.u32() % static_cast<uint32_t>(tableLen - dim + 1);
    idx[0] = static_cast<uint32_t>(tableLen - dim);  // the last whole slice
    const vector<float> mean = g.floats(dim), sigmaVec = g.floats(dim, 0.01f, 0.1f), sigma1 = {0.05f};
    for (bool antithetic : {false, true})
      for (const auto* sigma : {&sigma1, &sigmaVec}) {
        const size_t members = antithetic ? 2 * numNoise : numNoise;
        Out<float> out(members * dim), eps(numNoise * dim), out2(members * dim);
        perturbFromTable(table.data(), idx.data(), numNoise, mean.data(), sigma->data(), sigma->size(), dim,
                         antithetic, out.data());
        perturbFromStream(ol::rng::Key{8, 8}, 77, numNoise, mean.data(), sigma->data(), sigma->size(), dim,
                          antithetic, eps.data(), out2.data());
        requireFinite(out, "es perturbFromTable");
        requireFinite(out2, "es perturbFromStream");
        d.add(out);
        d.add(out2);
        d.add(eps);
      }
    const vector<double> w = g.doubles(numNoise);
    Out<float> gt(dim), gr(dim);
    weightedSumTable(table.data(), idx.data(), w.data(), numNoise, dim, gt.data());
    const vector<float> rows = g.floats(numNoise * dim);
    weightedSumRows(rows.data(), w.data(), numNoise, dim, gr.data());
    requireFinite(gt, "es weightedSumTable");
    requireFinite(gr, "es weightedSumRows");
    d.add(gt);
    d.add(gr);
  }
  {  // 130 terms (>= 128): the 512-coordinate blocks split over the pool, the last one a tail
    const size_t n = 130, dim = 1100;
    const vector<float> rows = g.floats(n * dim);
    const vector<double> w = g.doubles(n);
    vector<uint32_t> idx(n);
    for (auto& i : idx) i = g.u32() % static_cast<uint32_t>(tableLen - dim + 1);
    Out<float> out(dim), outT(dim);
    weightedSumRows(rows.data(), w.data(), n, dim, out.data());
    weightedSumTable(table.data(), idx.data(), w.data(), n, dim, outT.data());
    requireFinite(out, "es weightedSumRows threaded");
    requireFinite(outT, "es weightedSumTable threaded");
    d.add(out);
    d.add(outT);
  }
  for (size_t n : {size_t{1}, size_t{2}, size_t{7}, size_t{100}}) {
    vector<double> f = g.doubles(n);
    Out<double> out(n);
    if (n >= 7) {
      f[1] = f[2];  // a tie
      f[3] = NAN;
      f[4] = INFINITY;
      f[5] = -INFINITY;
    }
    centeredRanks(f.data(), n, out.data());
    requireFinite(out, "es centeredRanks");
    double s = 0;
    for (double x : out) s += x;
    if (std::fabs(s) > 1e-9) fail("es centeredRanks: utilities do not sum to zero");
    d.add(out);
  }
  // Population rollouts: discrete, box, with tasks; common and member-specific seeds.
  struct PopCase {
    int32_t config[4];
    size_t members, envsPerMember, maxSteps;
  };
  const PopCase pops[] = {{{0, 40, 0, 0}, 9, 3, 30},
                          {{4, 10, 0, 0}, 4, 2, 12},
                          {{5, 8, 6, 0}, 5, 3, 20},
                          {{7, 9, 0, 0}, 3, 4, 15},
                          {{6, 6, 3, 2}, 2, 1, 10}};
  for (const PopCase& pc : pops) {
    const ol::envs::Config cfg = parse(pc.config);
    const ol::envs::Dims dm = ol::envs::dims(cfg);
    const size_t out = dm.discrete > 0 ? static_cast<size_t>(dm.discrete) : dm.action;
    vector<int32_t> sizes = {static_cast<int32_t>(dm.obs), 6, static_cast<int32_t>(out)};
    const ol::nn::MlpSpec spec{sizes.data(), 2, ol::nn::Activation::Tanh, ol::nn::Activation::Identity};
    const vector<float> params = g.floats(pc.members * ol::nn::mlpParamCount(spec), -0.7f, 0.7f);
    vector<float> tasks(dm.task * pc.envsPerMember);
    if (dm.task > 0) ol::envs::sampleTasks(cfg, ol::rng::Key{6, 6}, tasks.data(), pc.envsPerMember);
    for (bool common : {false, true}) {
      RolloutSpec s{cfg, spec, pc.members, pc.envsPerMember, pc.maxSteps, ol::rng::Key{13, 14}, common,
                    dm.task > 0 ? tasks.data() : nullptr};
      Out<double> returns(pc.members);
      Out<int32_t> lengths(pc.members);
      Out<float> desc(pc.members * dm.obs);
      rolloutPopulation(s, params.data(), RolloutOut{returns.data(), lengths.data(), desc.data()});
      requireFinite(returns, "es rolloutPopulation returns");
      requireFinite(desc, "es rolloutPopulation descriptors");
      for (int32_t l : lengths)
        if (l < 1 || static_cast<size_t>(l) > pc.envsPerMember * pc.maxSteps) fail("es rolloutPopulation: bad length");
      d.add(returns);
      d.add(lengths);
      d.add(desc);
    }
  }
}

// ---- rl ----------------------------------------------------------------------------------------
void checkRl(Digest& d) {
  using namespace ol::rl;
  Gen g(8);
  // kLpo's drift networks: LPO with one hidden layer, TA-LPO (temporal inputs) with two.
  const vector<int32_t> lpoHidden = {8}, taHidden = {6, 5};
  const vector<float> lpoTheta = g.floats(static_cast<size_t>(driftSize(lpoHidden.data(), 1, false)), -0.5f, 0.5f);
  const vector<float> taTheta = g.floats(static_cast<size_t>(driftSize(taHidden.data(), 2, true)), -0.5f, 0.5f);
  auto config = [&](int obj, bool norm) {
    ObjectiveConfig c{static_cast<Objective>(obj), 0.2, 0.01, 2.0, 0.6, 0.5, norm};
    if (obj == kLpo)
      c.drift = norm ? DriftNet{taTheta.data(), taHidden.data(), 2, true, 0.4} : DriftNet{lpoTheta.data(), lpoHidden.data(), 1, false, 0};
    return c;
  };
  auto add = [&](const PolicyStats& s, const std::string& what) {
    const double v[] = {s.surrogateLoss, s.entropy, s.approxKl, s.clipFraction, s.klToOld, s.policyLoss};
    for (double x : v) requireFinite(x, what);
    d.add(v, 6);
  };
  for (int64_t batch : {int64_t{1}, int64_t{7}, int64_t{300}}) {
    // 70 actions: more than the objective's 64 doubles of stack scratch.
    for (int64_t n : {int64_t{1}, int64_t{3}, int64_t{70}}) {
      const size_t bn = static_cast<size_t>(batch * n), B = static_cast<size_t>(batch);
      const vector<float> logits = g.floats(bn, -2, 2), oldLogits = g.floats(bn, -2, 2), adv = g.floats(B);
      vector<int32_t> actions(B);
      for (auto& a : actions) a = g.below(static_cast<int32_t>(n));
      const vector<float> oldLogp = g.floats(B, -3.0f, -0.1f);
      for (int obj = 0; obj <= kLpo; ++obj)
        for (bool norm : {false, true}) {
          const ObjectiveConfig c = config(obj, norm);
          Out<float> dLogits(bn);
          add(categoricalObjective(c, batch, n, logits.data(), actions.data(), oldLogp.data(), adv.data(),
                                   obj == kMdpo ? oldLogits.data() : nullptr, dLogits.data()),
              "rl categoricalObjective");
          requireFinite(dLogits, "rl categoricalObjective dLogits");
          d.add(dLogits);
        }
      const vector<float> u = g.floats(B, 0.0f, 1.0f);
      Out<int32_t> sa(B);
      Out<float> lp(B);
      categoricalSample(batch, n, logits.data(), u.data(), sa.data(), lp.data());
      d.add(sa);
      d.add(lp);
      categoricalSample(batch, n, logits.data(), nullptr, sa.data(), lp.data());
      requireFinite(lp, "rl categoricalSample");
      d.add(sa);
      d.add(lp);
    }
    for (int64_t dim : {int64_t{1}, int64_t{3}}) {
      const size_t bd = static_cast<size_t>(batch * dim), B = static_cast<size_t>(batch), D = static_cast<size_t>(dim);
      const vector<float> mean = g.floats(bd), oldMean = g.floats(bd), logStd = g.floats(D, -1, 0),
                          oldLogStd = g.floats(D, -1, 0), actions = g.floats(bd, -2, 2), adv = g.floats(B),
                          oldLogp = g.floats(B, -4, -1);
      for (int obj = 0; obj <= kLpo; ++obj)
        for (bool norm : {false, true}) {
          const ObjectiveConfig c = config(obj, norm);
          Out<float> dMean(bd), dLogStd(D);
          const bool mdpo = obj == kMdpo;
          add(gaussianObjective(c, batch, dim, mean.data(), logStd.data(), actions.data(), oldLogp.data(), adv.data(),
                                mdpo ? oldMean.data() : nullptr, mdpo ? oldLogStd.data() : nullptr, dMean.data(),
                                dLogStd.data()),
              "rl gaussianObjective");
          requireFinite(dMean, "rl gaussianObjective dMean");
          requireFinite(dLogStd, "rl gaussianObjective dLogStd");
          d.add(dMean);
          d.add(dLogStd);
        }
      const vector<float> z = g.floats(bd, -2, 2);
      Out<float> act(bd), lp(B);
      gaussianSample(batch, dim, mean.data(), logStd.data(), z.data(), act.data(), lp.data());
      d.add(act);
      d.add(lp);
      gaussianSample(batch, dim, mean.data(), logStd.data(), nullptr, act.data(), lp.data());
      requireFinite(lp, "rl gaussianSample");
      d.add(act);
      d.add(lp);
    }
    const size_t B = static_cast<size_t>(batch);
    const vector<float> v = g.floats(B), vOld = g.floats(B), ret = g.floats(B);
    for (double clip : {0.0, 0.2}) {
      Out<float> dv(B);
      const double loss = valueLoss(batch, v.data(), vOld.data(), ret.data(), clip, 0.5, dv.data());
      requireFinite(loss, "rl valueLoss");
      requireFinite(dv, "rl valueLoss dValues");
      d.num(loss);
      d.add(dv);
    }
  }
}

// ---- meta --------------------------------------------------------------------------------------
void checkMeta(Digest& d) {
  using namespace ol::meta;
  Gen g(9);
  struct MetaCase {
    vector<int32_t> sizes;
    Loss loss;
    int tasks;
    size_t sRows, qRows;
  };
  const MetaCase cases[] = {
      {{3, 16, 2}, Loss::Mse, 5, 4, 3},
      {{2, 9, 7, 4}, Loss::CrossEntropy, 3, 5, 2},
      {{3, 8, 1024}, Loss::CrossEntropy, 2, 3, 2},  // the widest class count the glue allows
  };
  for (const MetaCase& mc : cases) {
    for (int hidden : {1, 2, 4}) {
      const ol::nn::MlpSpec spec{mc.sizes.data(), static_cast<int>(mc.sizes.size()) - 1,
                                 static_cast<ol::nn::Activation>(hidden), ol::nn::Activation::Identity};
      const size_t P = ol::nn::mlpParamCount(spec), in = static_cast<size_t>(mc.sizes.front()),
                   out = static_cast<size_t>(mc.sizes.back()), T = static_cast<size_t>(mc.tasks);
      const vector<float> params = g.floats(P, -0.5f, 0.5f);
      const vector<float> sx = g.floats(T * mc.sRows * in, -2, 2), qx = g.floats(T * mc.qRows * in, -2, 2);
      const vector<float> sy = g.floats(T * mc.sRows * out), qy = g.floats(T * mc.qRows * out);
      vector<int32_t> sl(T * mc.sRows), ql(T * mc.qRows);
      for (auto& l : sl) l = g.below(static_cast<int32_t>(out));
      for (auto& l : ql) l = g.below(static_cast<int32_t>(out));
      const bool mse = mc.loss == Loss::Mse;
      const Targets st{mse ? sy.data() : nullptr, mse ? nullptr : sl.data()};
      const Targets qt{mse ? qy.data() : nullptr, mse ? nullptr : ql.data()};
      const TaskSet ts{mc.tasks, mc.sRows, mc.qRows, sx.data(), st, qx.data(), qt};
      const TaskSet reptileNoQuery{mc.tasks, mc.sRows, 0, sx.data(), st, nullptr, Targets{nullptr, nullptr}};
      const vector<float> lrOne = {0.05f}, lrPer = g.floats(P, 0.0f, 0.05f);

      // The losses on their own, for one task's rows.
      {
        const vector<float> y = g.floats(mc.qRows * out), ydot = g.floats(mc.qRows * out);
        Out<float> gy(mc.qRows * out), hy(mc.qRows * out);
        const double L = lossValueGrad(mc.loss, y.data(), qt, mc.qRows, out, gy.data());
        lossHessianVector(mc.loss, y.data(), qt, mc.qRows, out, ydot.data(), hy.data());
        requireFinite(L, "meta lossValueGrad");
        requireFinite(hy, "meta lossHessianVector");
        d.num(L);
        d.add(gy);
        d.add(hy);
      }
      for (int mode = 0; mode < 4; ++mode)
        for (const auto* lr : {&lrOne, &lrPer})
          for (bool extras : {false, true}) {
            const Mode m = static_cast<Mode>(mode);
            const InnerConfig inner{mc.loss, 2, lr->data(), lr->size(), m == Mode::Implicit ? 1.0f : 0.0f};
            Out<float> grad(P), lrGrad(lr->size()), pre(T), post(T);
            metaGradBatch(spec, params.data(), ts, inner, m, 3, grad.data(), extras ? lrGrad.data() : nullptr,
                          extras ? pre.data() : nullptr, extras ? post.data() : nullptr);
            const std::string what = "meta metaGradBatch mode " + std::to_string(mode);
            requireFinite(grad, what);
            d.add(grad);
            if (extras) {
              requireFinite(lrGrad, what + " lrGrad");
              requireFinite(pre, what + " lossPre");
              requireFinite(post, what + " lossPost");
              d.add(lrGrad);
              d.add(pre);
              d.add(post);
            }
            if (m == Mode::Reptile) {  // no query rows at all: the glue allows it for Reptile
              metaGradBatch(spec, params.data(), reptileNoQuery, inner, m, 0, grad.data(),
                            extras ? lrGrad.data() : nullptr, extras ? pre.data() : nullptr,
                            extras ? post.data() : nullptr);
              requireFinite(grad, what + " without query rows");
              d.add(grad);
            }
          }
      for (int steps : {0, 3})
        for (float lambda : {0.0f, 0.5f})
          for (bool extras : {false, true}) {
            const InnerConfig inner{mc.loss, steps, lrPer.data(), lrPer.size(), lambda};
            Out<float> losses(T * (static_cast<size_t>(steps) + 1)), adapted(T * P);
            adaptEvaluateBatch(spec, params.data(), ts, inner, extras ? losses.data() : nullptr,
                               extras ? adapted.data() : nullptr);
            if (extras) {
              requireFinite(losses, "meta adaptEvaluateBatch losses");
              requireFinite(adapted, "meta adaptEvaluateBatch adapted");
              d.add(losses);
              d.add(adapted);
            }
          }
    }
  }
}

struct Family {
  const char* name;
  void (*fn)(Digest&);
};
// The learned-optimizer step: vector tails and partial tiles (1, 7, 4097), a size split over the
// pool (70001), one segment and three with gaps, a net with a 4-output remainder and one hidden layer.
void checkLearned(Digest& d) {
  using namespace ol::learned;
  Gen gen(11);
  const vector<vector<int32_t>> nets = {{39, 32, 32, 2}, {39, 5, 2}};
  for (size_t n : {size_t{1}, size_t{7}, size_t{4097}, size_t{70001}})
    for (const auto& widths : nets)
      for (bool split : {false, true}) {
        size_t size = 0;
        for (size_t l = 0; l + 1 < widths.size(); ++l) size += widths[l] * widths[l + 1] + widths[l + 1];
        const vector<float> theta = gen.floats(size, -0.3f, 0.3f);
        vector<uint32_t> segments = {0, static_cast<uint32_t>(n)};
        vector<float> mult = {1.0f};
        if (split && n >= 7) {
          const auto third = static_cast<uint32_t>(n / 3);
          segments = {0, third, third + 1, third, 2 * third + 2, static_cast<uint32_t>(n) - 2 * third - 2};
          mult = {1.0f, 0.5f, 0.25f};
        }
        vector<float> p = gen.floats(n);
        vector<float> acc(kAccRows * n, 0.0f);
        for (int t = 0; t < 3; ++t) {
          const vector<float> g = gen.floats(n, -0.1f, 0.1f);
          mlpStep(p.data(), g.data(), acc.data(), n, theta.data(), widths.data(), widths.size(), segments.data(),
                  segments.size() / 2, mult.data(), MlpStepScalars{static_cast<double>(t), 0.01f, 0.5f});
        }
        requireFinite(p, "learned mlpStep n=" + std::to_string(n));
        requireFinite(acc, "learned mlpStep acc n=" + std::to_string(n));
        d.add(p);
        d.add(acc);
      }
}

// The batched population step: 5 members on 3 quadratics (dims 1 and 7), with and without noise,
// a staggered count, a net with one hidden layer; members split over the pool.
void checkLearnedPopulation(Digest& d) {
  using namespace ol::learned;
  Gen gen(17);
  const vector<int32_t> widths = {39, 5, 2};
  const size_t size = 39 * 5 + 5 + 5 * 2 + 2;
  for (size_t dim : {size_t{1}, size_t{7}})
    for (double noise : {0.0, 0.1}) {
      const size_t M = 5, T = 3, K = 4;
      const vector<float> thetas = gen.floats(M * size, -0.3f, 0.3f);
      vector<float> p = gen.floats(M * dim);
      vector<float> acc(M * kAccRows * dim, 0.0f);
      vector<double> counts = {0, 3, 10, 0, 1};
      vector<double> q(T * dim * dim, 0.0), c(T * dim);
      for (size_t t = 0; t < T; ++t)
        for (size_t i = 0; i < dim; ++i) {
          q[t * dim * dim + i * dim + i] = 0.5 + static_cast<double>(i + t);
          c[t * dim + i] = 0.1 * static_cast<double>(i) - 0.2 * static_cast<double>(t);
        }
      const vector<uint32_t> taskOf = {0, 0, 1, 2, 2};
      const vector<float> z = gen.floats(T * K * dim);
      vector<double> losses(M * (K + 1));
      quadraticPopulation(M, p.data(), acc.data(), counts.data(), thetas.data(), size, widths.data(), widths.size(),
                          q.data(), c.data(), taskOf.data(), noise > 0 ? z.data() : nullptr, losses.data(),
                          QuadraticPopulationScalars{dim, K, noise, 0.01f, 0.5f});
      requireFinite(p, "learned quadraticPopulation dim=" + std::to_string(dim));
      requireFinite(losses, "learned quadraticPopulation losses dim=" + std::to_string(dim));
      d.add(p);
      d.add(acc);
      d.add(losses);
      d.add(counts);
    }
}


void checkMetarl(Digest& d) {
  using namespace ol::metarl;
  Gen g(13);
  // Tasks with 0, 1 and several rows (rowStart repeats for the empty task), a Gaussian policy of
  // action dim 2 and 1; hidden tanh and leaky ReLU.
  struct Case {
    vector<int32_t> sizes;
    vector<int32_t> rowStart;
  };
  const Case cases[] = {{{2, 16, 16, 2}, {0, 5, 5, 6, 13}}, {{3, 7, 3}, {0, 1, 9}}};
  for (const Case& c : cases)
    for (int hidden : {1, 3}) {
      const ol::nn::MlpSpec spec{c.sizes.data(), static_cast<int>(c.sizes.size()) - 1,
                                 static_cast<ol::nn::Activation>(hidden), ol::nn::Activation::Identity};
      const int tasks = static_cast<int>(c.rowStart.size()) - 1, dim = c.sizes.back();
      const size_t rows = static_cast<size_t>(c.rowStart.back()), in = static_cast<size_t>(c.sizes.front());
      const size_t S = ol::nn::mlpParamCount(spec) + static_cast<size_t>(dim), W = mamlTapeWidth(spec);
      const vector<float> params = g.floats(tasks * S, -0.4f, 0.4f), x = g.floats(rows * in, -2, 2);
      const vector<float> actions = g.floats(rows * static_cast<size_t>(dim), -1.5f, 1.5f);
      const vector<double> coef = g.doubles(rows, -1, 1);
      const vector<float> v = g.floats(tasks * S);
      for (MamlProduct mode : {MamlProduct::kInnerHessian, MamlProduct::kKlFisher}) {
        const bool inner = mode == MamlProduct::kInnerHessian;
        Out<float> tape(rows * W), back(inner ? rows * W : 0), out(tasks * S);
        mamlGaussianPrepare(spec, tasks, dim, params.data(), x.data(), c.rowStart.data(), actions.data(), coef.data(),
                            tape.data(), inner ? back.data() : nullptr);
        mamlGaussianProducts(spec, tasks, dim, mode, params.data(), x.data(), c.rowStart.data(), actions.data(),
                             coef.data(), tape.data(), inner ? back.data() : nullptr, v.data(), out.data());
        requireFinite(out, std::string("metarl maml products mode ") + (inner ? "inner" : "fisher"));
        d.add(out);
      }
    }
}

void checkBilevel(Digest& d) {
  using namespace ol::bilevel;
  Gen g(14);
  for (size_t dims : {size_t{1}, size_t{7}})
    for (bool forward : {false, true})
      for (int steps : {1, 5}) {
        const Sweep sw{steps, 0.05f, forward};
        const size_t n = 9, m = 4;
        const vector<float> xt = g.floats(n * dims), yt = g.floats(n), xv = g.floats(m * dims), yv = g.floats(m);
        const vector<float> lambda = g.floats(dims, -2, 0);
        vector<float> w = g.floats(dims, -0.5f, 0.5f);
        Out<float> scratch(forward ? dims * dims : static_cast<size_t>(steps) * dims), grad(dims);
        const double F = ridgeHypergrad(xt.data(), yt.data(), n, xv.data(), yv.data(), m, dims, lambda.data(), w.data(),
                                        scratch.data(), grad.data(), sw);
        requireFinite(F, "bilevel ridge F");
        requireFinite(grad, "bilevel ridge grad");
        d.num(F);
        d.add(grad);
        d.add(w);

        const size_t k = 3, nw = dims * k + k;
        vector<int32_t> yc(n), yvc(m);
        for (auto& y : yc) y = g.below(static_cast<int32_t>(k));
        for (auto& y : yvc) y = g.below(static_cast<int32_t>(k));
        const vector<float> weights = g.floats(n, -2, 2);
        vector<float> wc = g.floats(nw, -0.3f, 0.3f);
        Out<float> scratchC(forward ? n * nw : static_cast<size_t>(steps) * nw), gradC(n);
        const double Fc = cleaningHypergrad(xt.data(), yc.data(), n, xv.data(), yvc.data(), m, dims, k, 1e-3f,
                                            weights.data(), wc.data(), scratchC.data(), gradC.data(), sw);
        requireFinite(Fc, "bilevel cleaning F");
        requireFinite(gradC, "bilevel cleaning grad");
        d.num(Fc);
        d.add(gradC);
        d.add(wc);
      }
}

const Family kFamilies[] = {{"rng", checkRng},         {"vec", checkVec},   {"envs", checkEnvs},
                            {"nn", checkNn},           {"optim", checkOptim}, {"rollout+gae", checkRollout},
                            {"es", checkEs},           {"rl", checkRl},     {"meta", checkMeta}, {"learned", checkLearned}, {"learnedPop", checkLearnedPopulation},
                            {"metarl", checkMetarl},   {"bilevel", checkBilevel}};

std::map<std::string, uint64_t> runAll() {
  std::map<std::string, uint64_t> out;
  for (const Family& f : kFamilies) {
    Digest d;
    f.fn(d);
    out[f.name] = d.h;
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  // --quick: one run only (no determinism or thread-count comparison).
  const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  ol::ThreadPool& pool = ol::ThreadPool::global();
  pool.resize(3);
  std::printf("core_check: simd %s, %d threads\n", ol::simdLevel(), pool.size());
  const auto first = runAll();
  if (!quick) {
    const auto second = runAll();
    pool.resize(1);
    const auto single = runAll();
    for (const auto& [name, h] : first) {
      if (second.at(name) != h) fail(name + ": two runs with the same inputs differ");
      if (single.at(name) != h) fail(name + ": one thread gives a different result than three");
    }
  }
  for (const auto& [name, h] : first) std::printf("  %-12s %016llx\n", name.c_str(), static_cast<unsigned long long>(h));
  // Join the workers so their thread-local scratch is released before the leak check.
  pool.resize(1);
  if (gFailures) {
    std::printf("core_check: %d check(s) FAILED\n", gFailures);
    return 1;
  }
  std::printf("core_check: all families ok (%s)\n", quick ? "one run" : "3 threads twice, then 1 thread");
  return 0;
}
