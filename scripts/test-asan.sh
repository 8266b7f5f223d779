#!/usr/bin/env bash
# `npm run test:asan`: builds the addon with AddressSanitizer + UndefinedBehaviorSanitizer
# (cmake-js, build-asan/) and runs the kernel suites and the native fuzz test against it, with the
# sanitizer runtimes preloaded into node. Any memory error or undefined behaviour aborts the run.
set -euo pipefail
cd "$(dirname "$0")/.."
npx cmake-js compile --out build-asan --CDOUTERLOOP_SANITIZE=ON
asan=$(g++ -print-file-name=libasan.so)
ubsan=$(g++ -print-file-name=libubsan.so)
export LD_PRELOAD="$asan:$ubsan"
# Node itself is not built with ASan: skip leak checks (V8 frees at exit in its own way) and the
# ODR check across the two runtimes; everything the addon does is still checked.
export ASAN_OPTIONS="detect_leaks=0:detect_odr_violation=0:abort_on_error=1:halt_on_error=1:allow_user_segv_handler=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export OUTERLOOP_NATIVE_PATH="$PWD/build-asan/Release/outerloop.node"
export OUTERLOOP_BACKEND=native
npx vitest run --pool forks "$@" \
  test/random.test.ts test/vec.test.ts test/envs.test.ts test/envs_parity.test.ts test/envs_bound.test.ts \
  test/nn.test.ts test/nn_parity.test.ts test/optim.test.ts test/rollout.test.ts test/gae.test.ts \
  test/evo_kernels.test.ts test/evo_rollout.test.ts test/rl_objective.test.ts test/meta_grad.test.ts \
  test/kernel_table.test.ts test/fuzz_native.test.ts test/thread_pool.test.ts test/soak.test.ts \
  test/nn_gru_kernels.test.ts test/learned_kernel.test.ts test/learned_population.test.ts test/learned_lpo_objective.test.ts test/learned_lpo_tiles.test.ts \
  test/metarl_maml_batched.test.ts test/bilevel_kernels.test.ts test/env_snake.test.ts test/envs_bandit_gaussian.test.ts
