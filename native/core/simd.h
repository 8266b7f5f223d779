// Run-time instruction-set dispatch for hot loops.
// One binary runs everywhere: OL_HOT_LOOP makes gcc/clang emit AVX-512, AVX2 and baseline
// clones of a function and pick one at load time (ifunc), so no -march flag is needed.
#pragma once

#if defined(__x86_64__) && defined(__GNUC__) && defined(__linux__) && !defined(__clang__)
#define OL_HOT_LOOP __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define OL_HOT_LOOP
#endif

namespace ol {
// The widest instruction set the running CPU offers that the hot loops were cloned for:
// "avx512", "avx2" or "baseline" (or the architecture name off x86-64).
const char* simdLevel();
}  // namespace ol
