/** nn kernels (filled in by their issue). */
// biome-ignore lint/suspicious/noEmptyInterface: placeholder until the family lands
export interface NnKernels {}
