// The MLP description argument shared by the nn, meta and es glue: layer widths and the hidden and
// output activation codes, checked once here so every entry point rejects the same bad shapes.
#pragma once

#include <string>
#include <vector>

#include "core/nn/mlp.h"
#include "napi/args.h"
#include "napi/fields.h"
#include "napi/kernel.h"

namespace ol::napi {

constexpr int64_t kMaxMlpWidth = 1 << 20;

struct MlpArg {
  std::vector<int32_t> sizes;  // owns the widths nn::MlpSpec points into (moves keep the buffer)
  nn::MlpSpec spec;
  size_t in, out, params;
};

namespace detail {
// Copies sizes (Int32Array of >= 2 widths in [1, 2^20], at most kMaxElements parameters) from
// argument `index` and describes the MLP with the given activation codes (checked by the caller).
inline MlpArg mlpWith(const Info& info, size_t index, int64_t hidden, int64_t output) {
  ArrayArg<int32_t> s = typedArray<int32_t>(info, index, "sizes");
  if (s.length < 2) throwRange(info.Env(), "sizes: expected at least 2 widths, got " + std::to_string(s.length));
  MlpArg r;
  r.sizes.assign(s.data, s.data + s.length);
  double total = 0;
  for (size_t l = 0; l < s.length; ++l) {
    if (r.sizes[l] < 1 || r.sizes[l] > kMaxMlpWidth)
      throwRange(info.Env(), "sizes[" + std::to_string(l) + "]: expected an integer in [1, " +
                                 std::to_string(kMaxMlpWidth) + "], got " + std::to_string(r.sizes[l]));
    if (l > 0) total += (static_cast<double>(r.sizes[l - 1]) + 1) * r.sizes[l];
  }
  if (total > static_cast<double>(kMaxElements)) throwRange(info.Env(), "sizes: too many parameters");
  r.spec = nn::MlpSpec{r.sizes.data(), static_cast<int>(s.length - 1), static_cast<nn::Activation>(hidden),
                       static_cast<nn::Activation>(output)};
  r.in = static_cast<size_t>(r.sizes.front());
  r.out = static_cast<size_t>(r.sizes.back());
  r.params = nn::mlpParamCount(r.spec);
  return r;
}
}  // namespace detail

// The nn kernels' form: sizes at `index`, the activation codes in the two arguments after it.
inline MlpArg mlpArg(const Info& info, size_t index) {
  MlpArg r = detail::mlpWith(info, index, 0, 0);
  r.spec.hidden = static_cast<nn::Activation>(integer(info, index + 1, "hidden", 0, nn::kNumActivations - 1));
  r.spec.output = static_cast<nn::Activation>(integer(info, index + 2, "output", 0, nn::kNumActivations - 1));
  return r;
}

// The form of kernels with a scalars object `s` (named `object`): sizes at `index`, the
// activation codes in its `hidden` and `output` fields (read first, as scalars always are).
inline MlpArg mlpArg(const Info& info, size_t index, const ScalarsArg& s, const char* object) {
  int64_t hidden = integerField(info.Env(), s, object, "hidden", 0, nn::kNumActivations - 1);
  int64_t output = integerField(info.Env(), s, object, "output", 0, nn::kNumActivations - 1);
  return detail::mlpWith(info, index, hidden, output);
}

}  // namespace ol::napi
