// The public `evo` namespace (filled in by its issue).
export {};
