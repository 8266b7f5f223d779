// Dense symmetric eigensolver and the Shampoo block kernels built on it (float64 factors).
// symEigen: Householder tridiagonalization then implicit QL (the EISPACK tred2/tql2 pair as in
// JAMA), O(n³) with a small constant, eigenvalues ascending. The js twin
// (src/backend/js/optim/eigen_sym.ts) runs the same operations in the same order.
#pragma once

#include <cstddef>

namespace ol::optim {

// Eigenvalues (ascending) of the symmetric n×n row-major `a` (unchanged) into `values`, unit
// eigenvectors into the ROWS of `vectors` (vectors[i·n .. i·n+n) belongs to values[i]).
void symEigen(const double* a, size_t n, double* values, double* vectors);

// out ← (A + eps·I)^(−1/root) by eigendecomposition; eigenvalues of A are clamped at 0 first (A
// is a Gram sum, negative only by rounding) and a zero eigenvalue of A + eps·I maps to 0.
void inverseRoot(const double* a, size_t n, double root, double eps, double* out);

// Shampoo statistics of one rows×cols block G: L ← decay·L + weight·G Gᵀ, R ← decay·R + weight·Gᵀ G.
void shampooStats(const float* g, size_t rows, size_t cols, double* l, double* r, double decay, double weight);

// out ← Lroot · G · Rroot (rows×rows, rows×cols, cols×cols); accumulation in double.
void shampooPrecondition(const float* g, size_t rows, size_t cols, const double* lRoot, const double* rRoot,
                         float* out);

}  // namespace ol::optim
