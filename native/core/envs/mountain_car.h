// Shared by MountainCar-v0 and MountainCarContinuous-v0 (same track, walls and reset).
#pragma once

#include "core/envs/env.h"

namespace ol::envs {
constexpr float kCarMinPosition = -1.2f;
constexpr float kCarMaxPosition = 0.6f;
constexpr float kCarMaxSpeed = 0.07f;
constexpr float kCarGravity = 0.0025f;

// Clips the new velocity, moves, clips the position and stops at the left wall.
void mountainCarMove(float* x, float* v);
// x ~ U(-0.6, -0.4), v = 0.
void mountainCarReset(const Config& cfg, const Batch& b, float* obs, size_t row);
}  // namespace ol::envs
