// js twins of the metarl kernels (native/core/metarl), exported under their kernel names.
export { mamlGaussianPrepare, mamlGaussianProducts } from './maml_products.js';
