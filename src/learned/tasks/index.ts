// Task families for meta-training learned optimizers.
export { type QuadraticFamily, type QuadraticOptions, type QuadraticTask, quadratic } from './quadratic.js';
