// iMAML's inner solver: gradient steps on the proximal objective
//   F(phi) = L_support(phi) + lambda/2 |phi - theta|^2
// with a step size that the task's curvature allows. Plain steps at a fixed rate diverge once the
// support loss's top Hessian eigenvalue passes 2/lr - lambda (and meta-training with the implicit
// gradient exerts no pressure against that), so each task first estimates the top eigenvalue
// magnitude L of its support-loss Hessian at theta by power iteration on Hessian-vector products
// and steps at min(lr, 1/(L + lambda)): F's curvature is at most L + lambda, so this rate
// descends F with a factor-2 margin for the curvature growing along the path. Memory is two
// iterates, independent of the number of steps. (Nesterov momentum, tried to cut the
// (L + lambda)/lambda steps F's conditioning asks for, overshot into higher-curvature regions
// and diverged at evaluation on the sine setting even with gradient restarts.) Twin: src/backend/js/meta/proximal.ts.
#pragma once

#include <cstddef>
#include <vector>

#include "core/meta/meta.h"
#include "core/meta/model.h"
#include "core/meta/task_view.h"

namespace ol::meta {

// Power iterations per task (from the support gradient, which leans towards the top curvature
// directions; a Gauss-Newton-dominated Hessian of K rows has rank about K, so a few suffice).
constexpr int kPowerIterations = 8;

struct ProximalScratch {
  std::vector<float> a, b, g, v, hv;
  void reserve(size_t P);
};

// |H v| for the unit vector v after kPowerIterations power iterations on the support-loss Hessian
// at phi, starting from `start` (all-equal entries when start is zero or not finite). A lower
// bound on the spectral radius that converges to it. Uses s.v and s.hv.
double supportCurvature(TaskModel& model, ProximalScratch& s, const float* phi, const TaskView& tv,
                        const float* start);

// Runs c.steps proximal steps from theta (c.lambda > 0) at rates min(lr_i, 1/(L + lambda));
// returns the final iterate (in s). queryLosses [steps+1] (nullable) get the query loss after
// 0..steps steps.
const float* proximalSolve(TaskModel& model, ProximalScratch& s, const float* theta, const TaskView& tv,
                           const InnerConfig& c, float* queryLosses);

}  // namespace ol::meta
