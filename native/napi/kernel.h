// A family's kernel table: one row per export, {"jsName(arg, arg, ...)", body}. The row's
// signature is the one place on the C++ side where an export is named and counted: the name is
// what comes before the parenthesis and the arity the number of top-level arguments, derived at
// compile time. registerKernels() checks the argument count before the body runs (so bodies read
// their arguments without counting them) and records every export's arity in
// `exports.kernelArity`, which test/kernel_table.test.ts compares with the js twins.
#pragma once

#include <napi.h>

#include <cstddef>
#include <string>

#include "napi/args.h"

namespace ol::napi {

using Info = Napi::CallbackInfo;

namespace detail {
// The length of the name in "name(args)" (the whole string when there is no parenthesis).
constexpr size_t nameLength(const char* s) {
  size_t n = 0;
  while (s[n] != '\0' && s[n] != '(') ++n;
  return n;
}

// The number of top-level arguments in "name(a, b: T[2], { x, y }, [c])": commas inside (), [],
// {} and <> do not split, and an argument written in square brackets ([c]) is optional and not
// counted. A signature without its closing parenthesis is a compile error in a constexpr table.
constexpr size_t arityOf(const char* s) {
  size_t i = nameLength(s);
  if (s[i] != '(') throw "kernel signature: expected name(arguments)";
  size_t count = 0, depth = 0;
  bool any = false, optional = false;
  for (++i; s[i] != '\0'; ++i) {
    const char c = s[i];
    if (depth == 0 && (c == ',' || c == ')')) {
      if (any && !optional) ++count;
      if (c == ')') return count;
      any = optional = false;
    } else if (c == '(' || c == '[' || c == '{' || c == '<') {
      if (depth++ == 0 && !any && c == '[') optional = true;
      any = true;
    } else if (c == ')' || c == ']' || c == '}' || c == '>') {
      --depth;
    } else if (c != ' ') {
      any = true;
    }
  }
  throw "kernel signature: missing ')'";
}
}  // namespace detail

struct KernelRow {
  using Body = Napi::Value (*)(const Info&);
  // A kernel that works in place: its export returns undefined.
  using Step = void (*)(const Info&);

  // {"optimSgd(p, g, lr, weightDecay)", Sgd}: the JS signature names and counts the export.
  constexpr KernelRow(const char* signature, Body body)
      : name(signature), arity(detail::arityOf(signature)), body(body), nameLength(detail::nameLength(signature)) {}
  constexpr KernelRow(const char* signature, Step step)
      : name(signature), arity(detail::arityOf(signature)), step(step), nameLength(detail::nameLength(signature)) {}

  // The export's name is name[0, nameLength): the whole string, or the signature's head.
  const char* name;
  size_t arity;
  Body body = nullptr;
  Step step = nullptr;
  size_t nameLength;

  std::string jsName() const { return std::string(name, nameLength); }
};

namespace detail {
inline Napi::Value callKernel(const Info& info) {
  const auto* row = static_cast<const KernelRow*>(info.Data());
  if (info.Length() < row->arity) requireArgs(info, row->arity, row->jsName().c_str());
  if (row->body != nullptr) return row->body(info);
  row->step(info);
  return info.Env().Undefined();
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
    const std::string name = row.jsName();
    exports.Set(name, Napi::Function::New(env, detail::callKernel, name, const_cast<KernelRow*>(&row)));
    arity.Set(name, Napi::Number::New(env, static_cast<double>(row.arity)));
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
