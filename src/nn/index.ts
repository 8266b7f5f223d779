// The public `nn` namespace (filled in by its issue).
export {};
