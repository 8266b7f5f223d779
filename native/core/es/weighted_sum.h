// The ES gradient estimate g = Σ_i w_i e_i over n noise vectors of length dim, with e_i a noise
// table slice or a row of a matrix. Work is split over output coordinates and every coordinate
// sums over i in order in float64, so the result does not depend on the thread count.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ol::es {

// out[j] = Σ_i weights[i] · table[indices[i] + j]. Callers check indices[i] + dim <= tableLen.
void weightedSumTable(const float* table, const uint32_t* indices, const double* weights, size_t n, size_t dim,
                      float* out);

// out[j] = Σ_i weights[i] · rows[i·dim + j].
void weightedSumRows(const float* rows, const double* weights, size_t n, size_t dim, float* out);

}  // namespace ol::es
