// The public `meta` namespace (filled in by its issue).
export {};
