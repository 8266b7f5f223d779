// Built-in bilevel problems.
export { type RidgeData, ridge } from './ridge.js';
