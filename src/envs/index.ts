// The public `envs` namespace (filled in by its issue).
export {};
