// Task families for meta-training learned optimizers.
export { type QuadraticOptions, type QuadraticTask, quadratic } from './quadratic.js';
