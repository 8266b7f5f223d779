// metaGradBatch: per task, k inner SGD steps from the meta-parameters on the support set, the
// query loss at the adapted parameters, and the meta-gradient of that loss with respect to the
// meta-parameters (and the inner rates) by the chosen mode.
#include <algorithm>
#include <vector>

#include "core/meta/meta.h"
#include "core/meta/model.h"
#include "core/meta/proximal.h"
#include "core/meta/task_view.h"
#include "core/parallel.h"

namespace ol::meta {
namespace {

struct Scratch {
  std::vector<float> iterates;  // phi_0 .. phi_k, (k+1) x P
  std::vector<float> grads;     // support gradients g_0 .. g_{k-1}, k x P (kept for the rate gradient)
  std::vector<float> v, hv, r, p;
  ProximalScratch prox;  // iMAML's inner solve: two iterates whatever the number of steps
  void reserve(size_t P, int k) {
    size_t it = (static_cast<size_t>(k) + 1) * P;
    if (iterates.size() < it) iterates.resize(it);
    if (grads.size() < static_cast<size_t>(k) * P) grads.resize(static_cast<size_t>(k) * P);
    if (v.size() < P) {
      v.resize(P);
      hv.resize(P);
      r.resize(P);
      p.resize(P);
    }
  }
};

// Solves (I + H/lambda) u = b by conjugate gradient from u = 0 (H at phi on the support set).
// The system is positive definite only where H > -lambda; as in truncated CG, a direction of
// non-positive curvature stops the solve with the iterate so far (b itself, the first-order
// meta-gradient, when that happens at the first direction).
void conjugateGradient(TaskModel& model, Scratch& s, const float* phi, const TaskView& tv, float lambda, int steps,
                       const float* b, float* u) {
  const size_t P = model.paramCount();
  float* r = s.r.data();
  float* p = s.p.data();
  float* ap = s.hv.data();
  std::fill(u, u + P, 0.0f);
  std::copy(b, b + P, r);
  std::copy(b, b + P, p);
  double rs = dotProduct(r, r, P);
  const double tiny = 1e-30;
  for (int it = 0; it < steps && rs > tiny; ++it) {
    model.hvp(phi, tv.sx, tv.st, tv.sRows, p, ap);
    float inv = 1.0f / lambda;
    for (size_t i = 0; i < P; ++i) ap[i] = p[i] + inv * ap[i];
    double pap = dotProduct(p, ap, P);
    if (!(pap > 0)) {
      if (it == 0) std::copy(b, b + P, u);
      break;
    }
    float alpha = static_cast<float>(rs / pap);
    for (size_t i = 0; i < P; ++i) {
      u[i] += alpha * p[i];
      r[i] -= alpha * ap[i];
    }
    double rsNew = dotProduct(r, r, P);
    float beta = static_cast<float>(rsNew / rs);
    for (size_t i = 0; i < P; ++i) p[i] = r[i] + beta * p[i];
    rs = rsNew;
  }
}

// One task's meta-gradient into g [P] and, when lrG is not null, its rate gradient [lrCount].
void taskMetaGrad(TaskModel& model, Scratch& s, const float* params, const TaskView& tv, const InnerConfig& c,
                  Mode mode, int cgSteps, float* g, float* lrG, float* pre, float* post) {
  const size_t P = model.paramCount();
  const int k = c.steps;
  if (mode == Mode::Implicit) {
    s.reserve(P, 0);
    if (pre) *pre = static_cast<float>(model.loss(params, tv.qx, tv.qt, tv.qRows));
    const float* adapted = proximalSolve(model, s.prox, params, tv, c, nullptr);
    float* v = s.v.data();
    double q = model.lossGrad(adapted, tv.qx, tv.qt, tv.qRows, v);
    if (post) *post = static_cast<float>(q);
    conjugateGradient(model, s, adapted, tv, c.lambda, cgSteps, v, g);
    if (lrG) std::fill(lrG, lrG + c.lrCount, 0.0f);
    return;
  }
  s.reserve(P, k);
  float* phi = s.iterates.data();
  std::copy(params, params + P, phi);
  if (pre) *pre = static_cast<float>(model.loss(params, tv.qx, tv.qt, tv.qRows));
  for (int j = 0; j < k; ++j) {
    float* gj = s.grads.data() + static_cast<size_t>(j) * P;
    const float* cur = phi + static_cast<size_t>(j) * P;
    model.lossGrad(cur, tv.sx, tv.st, tv.sRows, gj);
    innerStep(c, cur, gj, params, phi + static_cast<size_t>(j + 1) * P, P);
  }
  const float* adapted = phi + static_cast<size_t>(k) * P;
  float* v = s.v.data();
  if (mode == Mode::Reptile) {
    if (post) *post = static_cast<float>(model.loss(adapted, tv.qx, tv.qt, tv.qRows));
    for (size_t i = 0; i < P; ++i) g[i] = params[i] - adapted[i];
    if (lrG) std::fill(lrG, lrG + c.lrCount, 0.0f);
    return;
  }
  double q = model.lossGrad(adapted, tv.qx, tv.qt, tv.qRows, v);
  if (post) *post = static_cast<float>(q);
  if (lrG) std::fill(lrG, lrG + c.lrCount, 0.0f);
  float* hv = s.hv.data();
  // Backward through phi_{j+1} = phi_j - lr*g_j(phi_j): v holds dL/dphi_{j+1}.
  for (int j = k - 1; j >= 0; --j) {
    const float* gj = s.grads.data() + static_cast<size_t>(j) * P;
    if (lrG) {
      if (c.lrCount == 1) {
        lrG[0] -= static_cast<float>(dotProduct(v, gj, P));
      } else {
        for (size_t i = 0; i < P; ++i) lrG[i] -= v[i] * gj[i];
      }
    }
    if (mode == Mode::SecondOrder) {
      // d phi_{j+1} / d phi_j = I - diag(lr) H_j, so v <- v - H_j (lr * v) (H is symmetric).
      float* w = s.r.data();
      for (size_t i = 0; i < P; ++i) w[i] = rateAt(c, i) * v[i];
      model.hvp(phi + static_cast<size_t>(j) * P, tv.sx, tv.st, tv.sRows, w, hv);
      for (size_t i = 0; i < P; ++i) v[i] -= hv[i];
    }
  }
  std::copy(v, v + P, g);
}

}  // namespace

void metaGradBatch(const nn::MlpSpec& spec, const float* params, const TaskSet& tasks, const InnerConfig& inner,
                   Mode mode, int cgSteps, float* grad, float* lrGrad, float* lossPre, float* lossPost) {
  const size_t P = nn::mlpParamCount(spec);
  const size_t T = static_cast<size_t>(tasks.tasks);
  const size_t L = inner.lrCount;
  // Per-task results in grow-only thread_local storage: no allocation (or page faults) per call.
  thread_local std::vector<float> gradsBuf, lrBuf;
  if (gradsBuf.size() < T * P) gradsBuf.resize(T * P);
  if (lrGrad && lrBuf.size() < T * L) lrBuf.resize(T * L);
  float* taskGrads = gradsBuf.data();
  float* taskLr = lrBuf.data();
  // Threads over tasks only (each task's nn passes run inline on its thread); several chunks per
  // thread balance uneven tasks.
  parallelFor(
      T, 1,
      [&](size_t t0, size_t t1) {
        TaskModel model(spec, inner.loss);
        thread_local Scratch s;
        for (size_t t = t0; t < t1; ++t) {
          TaskView tv = taskView(spec, tasks, t);
          taskMetaGrad(model, s, params, tv, inner, mode, cgSteps, taskGrads + t * P, lrGrad ? taskLr + t * L : nullptr,
                       lossPre ? lossPre + t : nullptr, lossPost ? lossPost + t : nullptr);
        }
      },
      4);
  // Mean over tasks in task order: independent of how tasks were split over threads.
  const float invT = 1.0f / static_cast<float>(T);
  std::fill(grad, grad + P, 0.0f);
  for (size_t t = 0; t < T; ++t) addScaled(invT, taskGrads + t * P, grad, P);
  if (lrGrad) {
    std::fill(lrGrad, lrGrad + L, 0.0f);
    for (size_t t = 0; t < T; ++t) addScaled(invT, taskLr + t * L, lrGrad, L);
  }
}

}  // namespace ol::meta
