// Batched gradient-based meta-learning over small MLPs: one call adapts every task of a
// meta-batch (threads over tasks) and returns the meta-gradient, so no task round-trips through
// JavaScript per inner step. Twins: src/backend/js/meta/{grad,adapt}.ts.
//
// Task data: T tasks, task t's support rows are rows [t*S, (t+1)*S) of supportX [T*S x in] and of
// its targets (values [T*S x out] for Mse, labels [T*S] for CrossEntropy); query rows likewise
// with Q rows per task. Inner SGD steps use a learning rate per parameter: `lr` holds P values,
// or one value broadcast to all (lrCount = 1). A zero rate freezes a parameter (ANIL).
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/meta/loss.h"
#include "core/nn/mlp.h"

namespace ol::meta {

enum class Mode : int {
  SecondOrder = 0,  // MAML: backprop through the inner steps, v <- v - lr*(H v) per step
  FirstOrder = 1,   // FOMAML: the query gradient at the adapted parameters
  Reptile = 2,      // theta - phi (the Reptile direction, as a gradient for an outer optimizer)
  Implicit = 3,     // iMAML: proximal inner problem, CG solve of (I + H/lambda) u = g_query
};

struct TaskSet {
  int tasks;
  size_t supportRows, queryRows;
  const float* supportX;
  Targets support;
  const float* queryX;
  Targets query;
};

struct InnerConfig {
  Loss loss;
  int steps;           // inner SGD steps (>= 1 for meta-gradients, >= 0 for adaptEvaluate)
  const float* lr;     // lrCount rates
  size_t lrCount;      // 1 or P
  float lambda;        // proximal weight: inner gradient + lambda*(phi - theta) (0: none)
};

// Meta-gradient of the mean query loss over tasks. grad [P] gets the mean over tasks of each
// task's meta-gradient (summed in task order, so the thread count does not change it). lrGrad
// [lrCount] (nullable) gets d(mean query loss)/d(lr) (Meta-SGD; with FirstOrder it ignores the
// second-order terms). lossPre / lossPost [T] (nullable) get each task's query loss before and
// after adaptation. cgSteps is used by Implicit only.
void metaGradBatch(const nn::MlpSpec& spec, const float* params, const TaskSet& tasks, const InnerConfig& inner,
                   Mode mode, int cgSteps, float* grad, float* lrGrad, float* lossPre, float* lossPost);

// Adapts every task for inner.steps steps from params and records its query loss after
// 0..steps steps into losses [T x (steps+1)] (nullable when queryRows = 0 is not meaningful);
// adapted (nullable) gets each task's final parameters [T x P].
void adaptEvaluateBatch(const nn::MlpSpec& spec, const float* params, const TaskSet& tasks, const InnerConfig& inner,
                        float* losses, float* adapted);

}  // namespace ol::meta
