// Argument checks for the N-API boundary. Every exported function reads its arguments through
// these helpers, which throw a TypeError or RangeError naming the argument and what was
// expected. No math happens in native/napi; it checks, then calls native/core.
#pragma once

#include <napi.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

namespace ol::napi {

template <typename T>
struct ArrayArg {
  T* data;
  size_t length;
};

template <typename T>
struct TypedArrayTraits;
template <>
struct TypedArrayTraits<float> {
  static constexpr napi_typedarray_type kType = napi_float32_array;
  static constexpr const char* kName = "Float32Array";
};
template <>
struct TypedArrayTraits<double> {
  static constexpr napi_typedarray_type kType = napi_float64_array;
  static constexpr const char* kName = "Float64Array";
};
template <>
struct TypedArrayTraits<int32_t> {
  static constexpr napi_typedarray_type kType = napi_int32_array;
  static constexpr const char* kName = "Int32Array";
};
template <>
struct TypedArrayTraits<uint32_t> {
  static constexpr napi_typedarray_type kType = napi_uint32_array;
  static constexpr const char* kName = "Uint32Array";
};
template <>
struct TypedArrayTraits<uint8_t> {
  static constexpr napi_typedarray_type kType = napi_uint8_array;
  static constexpr const char* kName = "Uint8Array";
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

inline bool boolean(const Napi::CallbackInfo& info, size_t index, const char* name) {
  Napi::Value v = info[index];
  if (!v.IsBoolean()) throwType(info.Env(), std::string(name) + ": expected a boolean");
  return v.As<Napi::Boolean>().Value();
}

constexpr int64_t kMaxSafeInteger = 9007199254740991LL;
// Largest element count a single buffer may describe (2^32 - 1, the typed-array limit on 64-bit Node is below).
constexpr int64_t kMaxElements = 4294967295LL;

}  // namespace ol::napi
