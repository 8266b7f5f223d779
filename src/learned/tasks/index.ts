/**
 * Task families for meta-training learned optimizers.
 *
 * @module
 */
export { type QuadraticFamily, type QuadraticOptions, type QuadraticTask, quadratic } from './quadratic.js';
