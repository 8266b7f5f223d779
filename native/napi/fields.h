// Fields of a kernel's scalars object beyond ScalarsArg's numbers and booleans: integers in a
// range, and a name from a fixed list (a string union on the TypeScript side, an enum in core).
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>

#include "napi/kernel.h"

namespace ol::napi {

// An integer field in [min, max]; `object` names the argument in errors ("scalars.steps: ...").
inline int64_t integerField(Napi::Env env, const ScalarsArg& s, const char* object, const char* field, int64_t min,
                            int64_t max) {
  double d = s.number(field);
  if (std::floor(d) != d || d < static_cast<double>(min) || d > static_cast<double>(max))
    throwRange(env, std::string(object) + "." + field + ": expected an integer in [" + std::to_string(min) + ", " +
                        std::to_string(max) + "], got " + std::to_string(d));
  return static_cast<int64_t>(d);
}

// The index in `names` of a string field of the object at argument `index` (which a ScalarsArg
// has already checked is an object).
template <size_t N>
int nameField(const Info& info, size_t index, const char* object, const char* field, const char* const (&names)[N]) {
  Napi::Value v = info[index].As<Napi::Object>().Get(field);
  // Names are short: read into a stack buffer (a longer string cannot match and is cut).
  char got[32] = {0};
  size_t length = 0;
  bool isString = v.IsString();
  if (isString) napi_get_value_string_utf8(info.Env(), v, got, sizeof(got), &length);
  for (size_t i = 0; i < N; ++i)
    if (std::strcmp(got, names[i]) == 0) return static_cast<int>(i);
  std::string what = std::string(object) + "." + field + ": expected one of ";
  for (size_t i = 0; i < N; ++i) what += std::string(i ? ", '" : "'") + names[i] + "'";
  if (!isString) throwType(info.Env(), what);
  throwRange(info.Env(), what + ", got '" + got + "'");
}

}  // namespace ol::napi
