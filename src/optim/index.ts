// The public `optim` namespace (filled in by its issue).
export {};
