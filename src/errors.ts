/**
 * The library's own error class, for failures that are neither a wrong type nor an out-of-range
 * value (a corrupt checkpoint, an unavailable backend, a diverged run).
 */
export class OuterloopError extends Error {
  override name = 'OuterloopError';
}
