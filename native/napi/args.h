// Argument checks for the N-API boundary. Every exported function reads its arguments through
// these helpers, which throw a TypeError or RangeError naming the argument and what was
// expected. No math happens in native/napi; it checks, then calls native/core.
#pragma once

#include <napi.h>

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <tuple>
#include <type_traits>

namespace ol::napi {

template <typename T>
struct ArrayArg {
  T* data;
  size_t length;
};

// The JS class of a napi typed-array type (for errors).
constexpr const char* typedArrayName(napi_typedarray_type type) {
  switch (type) {
    case napi_float32_array: return "Float32Array";
    case napi_float64_array: return "Float64Array";
    case napi_int32_array: return "Int32Array";
    case napi_uint32_array: return "Uint32Array";
    case napi_uint8_array: return "Uint8Array";
    default: return "typed array";
  }
}

// The napi typed-array type with elements of type T.
template <typename T>
constexpr napi_typedarray_type typedArrayType() {
  if constexpr (std::is_same_v<T, float>) return napi_float32_array;
  else if constexpr (std::is_same_v<T, double>) return napi_float64_array;
  else if constexpr (std::is_same_v<T, int32_t>) return napi_int32_array;
  else if constexpr (std::is_same_v<T, uint32_t>) return napi_uint32_array;
  else {
    static_assert(std::is_same_v<T, uint8_t>, "typed arrays of float, double, int32_t, uint32_t or uint8_t");
    return napi_uint8_array;
  }
}

template <typename T>
struct TypedArrayTraits {
  static constexpr napi_typedarray_type kType = typedArrayType<T>();
  static constexpr const char* kName = typedArrayName(kType);
};

[[noreturn]] inline void throwType(Napi::Env env, const std::string& msg) {
  throw Napi::TypeError::New(env, msg);
}
[[noreturn]] inline void throwRange(Napi::Env env, const std::string& msg) {
  throw Napi::RangeError::New(env, msg);
}

inline void requireArgs(const Napi::CallbackInfo& info, size_t n, const char* fn) {
  if (info.Length() < n)
    throwType(info.Env(), std::string(fn) + ": expected " + std::to_string(n) + " arguments, got " +
                              std::to_string(info.Length()));
}

// A typed array of element type T; its data stays valid while the array is alive.
template <typename T>
ArrayArg<T> typedArrayValue(Napi::Env env, Napi::Value v, const char* name) {
  using Tr = TypedArrayTraits<T>;
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != Tr::kType)
    throwType(env, std::string(name) + ": expected a " + Tr::kName);
  auto arr = v.As<Napi::TypedArrayOf<T>>();
  size_t len = arr.ElementLength();
  T* data = len == 0 ? nullptr : arr.Data();
  return ArrayArg<T>{data, len};
}
template <typename T>
ArrayArg<T> typedArray(const Napi::CallbackInfo& info, size_t index, const char* name) {
  return typedArrayValue<T>(info.Env(), info[index], name);
}

// Same, with an exact length.
template <typename T>
ArrayArg<T> typedArray(const Napi::CallbackInfo& info, size_t index, const char* name, size_t length) {
  ArrayArg<T> a = typedArray<T>(info, index, name);
  if (a.length != length)
    throwRange(info.Env(), std::string(name) + ": expected length " + std::to_string(length) + ", got " +
                               std::to_string(a.length));
  return a;
}

// Same, with at least `length` elements.
template <typename T>
ArrayArg<T> typedArrayAtLeast(const Napi::CallbackInfo& info, size_t index, const char* name, size_t length) {
  ArrayArg<T> a = typedArray<T>(info, index, name);
  if (a.length < length)
    throwRange(info.Env(), std::string(name) + ": expected at least " + std::to_string(length) +
                               " elements, got " + std::to_string(a.length));
  return a;
}

inline void requireLength(Napi::Env env, size_t got, size_t want, const char* name) {
  if (got != want)
    throwRange(env, std::string(name) + ": expected length " + std::to_string(want) + ", got " + std::to_string(got));
}

// Same, or empty for an argument the kernel may go without (nullptr then).
template <typename T>
T* optionalTypedArray(const Napi::CallbackInfo& info, size_t index, const char* name, size_t length) {
  ArrayArg<T> a = typedArray<T>(info, index, name);
  if (a.length == 0) return nullptr;
  requireLength(info.Env(), a.length, length, name);
  return a.data;
}

// The leading arguments as Float32Arrays of one length, the first's: the buffers a step updates
// in place. Returns that length, then their data. A name ending in '?' marks a buffer that may be
// empty instead (nullptr then).
//   auto [n, p, g, m, vMax] = floatBuffers(info, "params", "grads", "m", "vMax?");
template <typename... Names>
auto floatBuffers(const Napi::CallbackInfo& info, Names... names) {
  const char* list[] = {names...};
  std::array<float*, sizeof...(Names)> data{};
  ArrayArg<float> first = typedArray<float>(info, 0, list[0]);
  const size_t n = first.length;
  data[0] = first.data;
  for (size_t i = 1; i < data.size(); ++i) {
    const size_t length = std::strlen(list[i]);
    if (length > 0 && list[i][length - 1] == '?')
      data[i] = optionalTypedArray<float>(info, i, std::string(list[i], length - 1).c_str(), n);
    else
      data[i] = typedArray<float>(info, i, list[i], n).data;
  }
  return std::apply([n](auto... d) { return std::make_tuple(n, d...); }, data);
}

// A finite number.
inline double number(const Napi::CallbackInfo& info, size_t index, const char* name) {
  Napi::Value v = info[index];
  if (!v.IsNumber()) throwType(info.Env(), std::string(name) + ": expected a number");
  double d = v.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d)) throwRange(info.Env(), std::string(name) + ": expected a finite number, got " + std::to_string(d));
  return d;
}

// A number that may be NaN/Inf (for values whose non-finite case the kernel defines).
inline double anyNumber(const Napi::CallbackInfo& info, size_t index, const char* name) {
  Napi::Value v = info[index];
  if (!v.IsNumber()) throwType(info.Env(), std::string(name) + ": expected a number");
  return v.As<Napi::Number>().DoubleValue();
}

// An integer in [min, max] (a safe integer: sizes, counts, indices, counters).
inline int64_t integer(const Napi::CallbackInfo& info, size_t index, const char* name, int64_t min, int64_t max) {
  Napi::Value v = info[index];
  if (!v.IsNumber()) throwType(info.Env(), std::string(name) + ": expected an integer");
  double d = v.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d) || std::floor(d) != d)
    throwRange(info.Env(), std::string(name) + ": expected an integer, got " + std::to_string(d));
  if (d < static_cast<double>(min) || d > static_cast<double>(max))
    throwRange(info.Env(), std::string(name) + ": expected an integer in [" + std::to_string(min) + ", " +
                               std::to_string(max) + "], got " + std::to_string(d));
  return static_cast<int64_t>(d);
}

// A finite number, as the float a kernel computes in.
inline float f32(const Napi::CallbackInfo& info, size_t index, const char* name) {
  return static_cast<float>(number(info, index, name));
}

inline bool boolean(const Napi::CallbackInfo& info, size_t index, const char* name) {
  Napi::Value v = info[index];
  if (!v.IsBoolean()) throwType(info.Env(), std::string(name) + ": expected a boolean");
  return v.As<Napi::Boolean>().Value();
}

constexpr int64_t kMaxSafeInteger = 9007199254740991LL;
// Largest element count a single buffer may describe (2^32 - 1, the typed-array limit on 64-bit Node is below).
constexpr int64_t kMaxElements = 4294967295LL;

}  // namespace ol::napi
