// Elementwise activations over arrays, with the first and second derivatives the backward and
// R-operator passes need. Derivatives are written in terms of z (pre-activation) and a = f(z),
// whichever is cheaper. Twin: src/backend/js/nn/activation.ts.
#pragma once

#include <cstddef>

#include "core/nn/mlp.h"

namespace ol::nn {

// a = f(z), n elements (a may alias z).
void activate(Activation f, const float* z, float* a, size_t n);
// out = f'(z) * in (the backward pass: in = da, out = dz; the tangent pass: in = dz, out = da).
void activationScale(Activation f, const float* z, const float* a, const float* in, float* out, size_t n);
// R-operator step: dz = f'(z) da;  rdz = f''(z) zdot da + f'(z) rda.
void activationRBackward(Activation f, const float* z, const float* a, const float* zdot, const float* da,
                         const float* rda, float* dz, float* rdz, size_t n);

}  // namespace ol::nn
