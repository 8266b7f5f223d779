// Population generation for Gaussian evolution strategies: P members as mean ± sigma ⊙ eps in
// one pass. eps comes from a shared noise table addressed by index (OpenAI-ES: a worker sends an
// index, not a vector) or straight from a Philox stream (regenerated, no table traffic).
// sigma has length 1 (isotropic) or dim (per coordinate).
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/rng/philox.h"

namespace ol::es {

// Row layout of `out` [members × dim]:
//   antithetic: rows 2i and 2i+1 are mean + s⊙e_i and mean − s⊙e_i  (members = 2·numNoise)
//   otherwise:  row i is mean + s⊙e_i                                  (members = numNoise)
// where e_i = table[indices[i] .. indices[i] + dim). Callers check indices[i] + dim <= tableLen.
void perturbFromTable(const float* table, const uint32_t* indices, size_t numNoise, const float* mean,
                      const float* sigma, size_t sigmaLen, size_t dim, bool antithetic, float* out);

// Same layout with e_i = row i of eps [numNoise × dim], which is first filled with the standard
// normals of Philox stream (key, counter) (the layout of rng::fillNormal).
void perturbFromStream(rng::Key key, uint64_t counter, size_t numNoise, const float* mean, const float* sigma,
                       size_t sigmaLen, size_t dim, bool antithetic, float* eps, float* out);

}  // namespace ol::es
