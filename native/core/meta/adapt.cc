// adaptEvaluateBatch: adapt each task from the meta-parameters with inner SGD steps and record
// its query loss after every step (the 0..k-step evaluation curve), threaded over tasks. With
// lambda > 0 the steps are iMAML's curvature-aware proximal solve (proximal.h).
#include <algorithm>
#include <vector>

#include "core/meta/meta.h"
#include "core/meta/model.h"
#include "core/meta/proximal.h"
#include "core/meta/task_view.h"
#include "core/parallel.h"

namespace ol::meta {

void adaptEvaluateBatch(const nn::MlpSpec& spec, const float* params, const TaskSet& tasks, const InnerConfig& inner,
                        float* losses, float* adapted) {
  const size_t P = nn::mlpParamCount(spec);
  const size_t T = static_cast<size_t>(tasks.tasks);
  const size_t K = static_cast<size_t>(inner.steps);
  parallelFor(
      T, 1,
      [&](size_t t0, size_t t1) {
    TaskModel model(spec, inner.loss);
    // Grow-only per-thread buffers: no allocation per call once warm.
    thread_local std::vector<float> a, b, g;
    if (a.size() < P) a.resize(P), b.resize(P), g.resize(P);
    thread_local ProximalScratch prox;
    for (size_t t = t0; t < t1; ++t) {
      TaskView tv = taskView(spec, tasks, t);
      if (inner.lambda > 0.0f) {
        const float* phi = proximalSolve(model, prox, params, tv, inner, losses ? losses + t * (K + 1) : nullptr);
        if (adapted) std::copy(phi, phi + P, adapted + t * P);
        continue;
      }
      std::copy(params, params + P, a.data());
      for (size_t j = 0; j <= K; ++j) {
        if (losses) losses[t * (K + 1) + j] = static_cast<float>(model.loss(a.data(), tv.qx, tv.qt, tv.qRows));
        if (j == K) break;
        model.lossGrad(a.data(), tv.sx, tv.st, tv.sRows, g.data());
        innerStep(inner, a.data(), g.data(), params, b.data(), P);
        std::swap(a, b);
      }
      if (adapted) std::copy(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(P), adapted + t * P);
    }
      },
      4);
}

}  // namespace ol::meta
