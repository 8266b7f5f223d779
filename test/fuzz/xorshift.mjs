// Deterministic xorshift32 for the child-process checks (fuzz, soak): a seed reproduces a run.
/** Uniform numbers in [0, 1) from `seed` (0 is replaced by a fixed non-zero word). */
export function xorshift(seed) {
  let state = seed >>> 0 || 0x9e3779b9;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4294967296;
  };
}
