#include "core/es/weighted_sum.h"

#include "core/parallel.h"
#include "core/simd.h"

namespace ol::es {
namespace {
// Output coordinates per block: the double accumulators of one block stay in L1.
constexpr size_t kBlock = 512;

OL_HOT_LOOP void accumulate(double w, const float* __restrict e, double* __restrict acc, size_t len) {
  for (size_t j = 0; j < len; ++j) acc[j] += w * static_cast<double>(e[j]);
}

template <class Row>
void weightedSum(Row&& row, const double* weights, size_t n, size_t dim, float* out) {
  size_t blocks = (dim + kBlock - 1) / kBlock;
  // Each block costs n·kBlock multiply-adds; parallelize when there is enough of it.
  size_t grain = n * kBlock >= (1u << 16) ? 1 : blocks;
  parallelFor(blocks, grain, [&](size_t b0, size_t b1) {
    double acc[kBlock];
    for (size_t b = b0; b < b1; ++b) {
      size_t begin = b * kBlock;
      size_t len = dim - begin < kBlock ? dim - begin : kBlock;
      for (size_t j = 0; j < len; ++j) acc[j] = 0.0;
      for (size_t i = 0; i < n; ++i) accumulate(weights[i], row(i) + begin, acc, len);
      for (size_t j = 0; j < len; ++j) out[begin + j] = static_cast<float>(acc[j]);
    }
  });
}
}  // namespace

void weightedSumTable(const float* table, const uint32_t* indices, const double* weights, size_t n, size_t dim,
                      float* out) {
  weightedSum([&](size_t i) { return table + indices[i]; }, weights, n, dim, out);
}

void weightedSumRows(const float* rows, const double* weights, size_t n, size_t dim, float* out) {
  weightedSum([&](size_t i) { return rows + i * dim; }, weights, n, dim, out);
}

}  // namespace ol::es
