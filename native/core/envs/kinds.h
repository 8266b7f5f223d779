// The one list of environment kinds, in kernel-config order: config[0] is an env's position here.
// X(name, id): the env's file defines `const EnvOps nameOps` (ops.h). ENV_KINDS in
// src/backend/kernels/envs.ts lists the same ids in the same order, and each js twin names its
// id; test/envs_kinds.test.ts checks the three agree and that every env file is listed.
#pragma once

#define OL_ENV_KINDS(X)                                \
  X(cartpole, "CartPole-v1")                           \
  X(acrobot, "Acrobot-v1")                             \
  X(mountainCar, "MountainCar-v0")                     \
  X(mountainCarContinuous, "MountainCarContinuous-v0") \
  X(pendulum, "Pendulum-v1")                           \
  X(bandit, "Bandit-v0")                               \
  X(tabularMdp, "TabularMDP-v0")                       \
  X(navigation2d, "Navigation2D-v0")                   \
  X(pointRobot, "PointRobot-v0")                       \
  X(catchGame, "Catch-v0")                             \
  X(twoColorGrid, "TwoColorGrid-v0")                   \
  X(snake, "Snake-v0")
