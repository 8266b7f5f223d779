// The public `rl` namespace (filled in by its issue).
export {};
