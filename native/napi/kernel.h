// A family's kernel table: one row per export with its JS name, its argument count and its body.
// The table is the one place on the C++ side where an export is named and counted; the JS
// signature is the comment over its row. registerKernels() checks the argument count before the
// body runs (so bodies read their arguments without counting them) and records every export's
// arity in `exports.kernelArity`, which test/kernel-table.test.ts compares with the js twins.
#pragma once

#include <napi.h>

#include <cstddef>
#include <string>

#include "napi/args.h"

namespace ol::napi {

using Info = Napi::CallbackInfo;

struct KernelRow {
  const char* name;
  size_t arity;
  Napi::Value (*body)(const Info&);
};

namespace detail {
inline Napi::Value callKernel(const Info& info) {
  const auto* row = static_cast<const KernelRow*>(info.Data());
  requireArgs(info, row->arity, row->name);
  return row->body(info);
}
inline Napi::Object arityTable(Napi::Env env, Napi::Object exports) {
  if (!exports.Has("kernelArity")) exports.Set("kernelArity", Napi::Object::New(env));
  return exports.Get("kernelArity").As<Napi::Object>();
}
}  // namespace detail

// Rows must have static storage duration: each function keeps a pointer to its row.
template <size_t N>
void registerKernels(Napi::Env env, Napi::Object exports, const KernelRow (&rows)[N]) {
  Napi::Object arity = detail::arityTable(env, exports);
  for (const KernelRow& row : rows) {
    exports.Set(row.name, Napi::Function::New(env, detail::callKernel, row.name, const_cast<KernelRow*>(&row)));
    arity.Set(row.name, Napi::Number::New(env, static_cast<double>(row.arity)));
  }
}

// A plain object of named numbers (a kernel's scalars when it has many): each field must be a
// finite number; the error names the argument and the field.
class ScalarsArg {
 public:
  ScalarsArg(const Info& info, size_t index, const char* name) : env_(info.Env()), name_(name) {
    Napi::Value v = info[index];
    if (!v.IsObject() || v.IsTypedArray() || v.IsArray() || v.IsFunction())
      throwType(env_, std::string(name) + ": expected an object of named numbers");
    obj_ = v.As<Napi::Object>();
  }
  double number(const char* field) const {
    Napi::Value v = obj_.Get(field);
    if (!v.IsNumber()) throwType(env_, std::string(name_) + "." + field + ": expected a number");
    double d = v.As<Napi::Number>().DoubleValue();
    if (!std::isfinite(d))
      throwRange(env_, std::string(name_) + "." + field + ": expected a finite number, got " + std::to_string(d));
    return d;
  }
  float f32(const char* field) const { return static_cast<float>(number(field)); }
  bool boolean(const char* field) const {
    Napi::Value v = obj_.Get(field);
    if (!v.IsBoolean()) throwType(env_, std::string(name_) + "." + field + ": expected a boolean");
    return v.As<Napi::Boolean>().Value();
  }

 private:
  Napi::Env env_;
  const char* name_;
  Napi::Object obj_;
};

}  // namespace ol::napi
