// learned: the fused step of a per-parameter MLP learned optimizer (learned_optimization's
// AdafacMLPLOpt, "small_fc_lopt", rank < 2 path): accumulators, 39 features, MLP, d·exp(m) update.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ol::learned {

// 28 per-parameter features (second-moment normalized per segment) + 11 time features.
constexpr int kParamFeatures = 28;
constexpr int kTimeFeatures = 11;
constexpr int kInputs = kParamFeatures + kTimeFeatures;
// Accumulator rows of `acc` [7 × n]: m(0.9), m(0.99), m(0.999), v(0.999), vf(0.9), vf(0.99), vf(0.999).
constexpr int kAccRows = 7;

struct MlpStepScalars {
  // Updates applied before this one (the time features read it).
  double count;
  float stepMult;
  float expMult;
};

// One step for every parameter inside `segments` ((offset, size) pairs, ascending, disjoint):
// updates acc with g, normalizes the features over each segment, evaluates the MLP of widths
// [39, ..., 2] (θ per layer: W [in × out] row-major, then b [out]; ReLU between layers) and sets
// p ← p − multipliers[s] · stepMult · d · exp(expMult · m). Parameters outside every segment are
// left as they are. The result does not depend on the thread count.
void mlpStep(float* p, const float* g, float* acc, size_t n, const float* theta, const int32_t* widths,
             size_t numWidths, const uint32_t* segments, size_t numSegments, const float* multipliers,
             const MlpStepScalars& s);

}  // namespace ol::learned
