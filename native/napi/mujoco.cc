// mujoco: the run-time-loaded MuJoCo engine (native/core/mujoco/engine.h). A simulator is an
// opaque handle holding one mjModel and one mjData per row; the envs in src/envs/mujoco drive it.
#include <memory>
#include <string>

#include "core/mujoco/engine.h"
#include "napi/args.h"
#include "napi/kernel.h"
#include "napi/register.h"

namespace ol::napi {
namespace {

const napi_type_tag kSimTag = {0x6d756a6f636f5369ULL, 0x6d48616e646c6521ULL};

std::string stringArg(const Info& info, size_t index, const char* name) {
  if (!info[index].IsString()) throwType(info.Env(), std::string(name) + ": expected a string");
  return info[index].As<Napi::String>().Utf8Value();
}

// A MuJoCo fatal error during a call (the engine's message, the row already reset): a plain
// Error, not a bad argument; the envs turn it into an OuterloopError.
void engineError(Napi::Env env, const std::string& error) {
  if (!error.empty()) throw Napi::Error::New(env, "mujoco: " + error);
}

mujoco::Sim* simArg(const Info& info) {
  Napi::Value v = info[0];
  if (!v.IsExternal() || !v.As<Napi::External<mujoco::Sim>>().CheckTypeTag(&kSimTag))
    throwType(info.Env(), "sim: expected a handle returned by mujocoOpen");
  return v.As<Napi::External<mujoco::Sim>>().Data();
}

template <class T>
Napi::Array arrayOf(Napi::Env env, const std::vector<T>& v) {
  Napi::Array a = Napi::Array::New(env, v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    if constexpr (std::is_same_v<T, std::string>)
      a.Set(static_cast<uint32_t>(i), Napi::String::New(env, v[i]));
    else
      a.Set(static_cast<uint32_t>(i), Napi::Number::New(env, static_cast<double>(v[i])));
  }
  return a;
}

Napi::Value Engine(const Info& info) {
  Napi::Env env = info.Env();
  const mujoco::EngineStatus s = mujoco::load(stringArg(info, 0, "libPath"));
  Napi::Object o = Napi::Object::New(env);
  o.Set("compiled", Napi::Boolean::New(env, mujoco::compiledWithHeaders()));
  o.Set("header", mujoco::compiledWithHeaders() ? Napi::Value(Napi::String::New(env, mujoco::headerVersion()))
                                                : env.Null());
  o.Set("version", s.ok ? Napi::Value(Napi::String::New(env, s.version)) : env.Null());
  o.Set("path", Napi::String::New(env, s.path));
  o.Set("error", s.ok ? env.Null() : Napi::Value(Napi::String::New(env, s.error)));
  return o;
}

Napi::Value Open(const Info& info) {
  Napi::Env env = info.Env();
  const std::string path = stringArg(info, 0, "xmlPath");
  const auto rows = static_cast<size_t>(integer(info, 1, "rows", 1, 1 << 20));
  std::string error;
  std::unique_ptr<mujoco::Sim> sim = mujoco::Sim::open(path, rows, &error);
  // A RangeError naming the argument: the path is well typed but names nothing this engine can
  // load (or there is no engine: the message says which and how to get one).
  if (!sim) throwRange(env, "xmlPath: cannot load '" + path + "': " + error);
  auto ext = Napi::External<mujoco::Sim>::New(env, sim.release(), [](Napi::Env, mujoco::Sim* p) { delete p; });
  ext.TypeTag(&kSimTag);
  return ext;
}

Napi::Value Facts(const Info& info) {
  Napi::Env env = info.Env();
  const mujoco::ModelFacts& f = simArg(info)->facts();
  Napi::Object o = Napi::Object::New(env);
  o.Set("nq", f.nq);
  o.Set("nv", f.nv);
  o.Set("nu", f.nu);
  o.Set("timestep", f.timestep);
  o.Set("bodyNames", arrayOf(env, f.bodyNames));
  o.Set("jointNames", arrayOf(env, f.jointNames));
  o.Set("actuatorNames", arrayOf(env, f.actuatorNames));
  o.Set("bodyMass", arrayOf(env, f.bodyMass));
  o.Set("jointRange", arrayOf(env, f.jointRange));
  o.Set("jointLimited", arrayOf(env, f.jointLimited));
  o.Set("actuatorGear", arrayOf(env, f.actuatorGear));
  o.Set("ctrlRange", arrayOf(env, f.ctrlRange));
  o.Set("qpos0", arrayOf(env, f.qpos0));
  o.Set("stateSize", static_cast<double>(f.stateSize));
  return o;
}

void SetState(const Info& info) {
  mujoco::Sim* sim = simArg(info);
  const auto row = static_cast<size_t>(integer(info, 1, "row", 0, static_cast<int64_t>(sim->rows()) - 1));
  const mujoco::ModelFacts& f = sim->facts();
  auto qpos = typedArray<double>(info, 2, "qpos", static_cast<size_t>(f.nq));
  auto qvel = typedArray<double>(info, 3, "qvel", static_cast<size_t>(f.nv));
  for (size_t i = 0; i < qpos.length; ++i)
    if (!std::isfinite(qpos.data[i])) throwRange(info.Env(), "qpos[" + std::to_string(i) + "]: expected a finite number");
  for (size_t i = 0; i < qvel.length; ++i)
    if (!std::isfinite(qvel.data[i])) throwRange(info.Env(), "qvel[" + std::to_string(i) + "]: expected a finite number");
  engineError(info.Env(), sim->setState(row, qpos.data, qvel.data));
}

void Step(const Info& info) {
  mujoco::Sim* sim = simArg(info);
  const mujoco::ModelFacts& f = sim->facts();
  const size_t n = sim->rows();
  auto ctrl = typedArray<double>(info, 1, "ctrl", n * static_cast<size_t>(f.nu));
  const auto frameSkip = static_cast<int>(integer(info, 2, "frameSkip", 1, 1000));
  auto qpos = typedArray<double>(info, 3, "qpos", n * static_cast<size_t>(f.nq));
  auto qvel = typedArray<double>(info, 4, "qvel", n * static_cast<size_t>(f.nv));
  for (size_t i = 0; i < ctrl.length; ++i)
    if (std::isnan(ctrl.data[i])) throwRange(info.Env(), "ctrl[" + std::to_string(i) + "]: expected a number, got NaN");
  engineError(info.Env(), sim->step(ctrl.data, frameSkip, qpos.data, qvel.data));
}

void ContactForces(const Info& info) {
  mujoco::Sim* sim = simArg(info);
  const size_t nbody = sim->facts().bodyNames.size();
  auto out = typedArray<double>(info, 1, "out", sim->rows() * nbody * 6);
  engineError(info.Env(), sim->contactForces(out.data));
}

void GetState(const Info& info) {
  mujoco::Sim* sim = simArg(info);
  auto out = typedArray<double>(info, 1, "out", sim->rows() * sim->facts().stateSize);
  sim->getState(out.data);
}

// Every value is checked before any row changes, so a corrupt snapshot leaves the sim as it was.
void SetFullState(const Info& info) {
  mujoco::Sim* sim = simArg(info);
  auto state = typedArray<double>(info, 1, "state", sim->rows() * sim->facts().stateSize);
  for (size_t i = 0; i < state.length; ++i)
    if (!std::isfinite(state.data[i]))
      throwRange(info.Env(), "state[" + std::to_string(i) + "]: expected a finite number");
  engineError(info.Env(), sim->setFullState(state.data));
}

}  // namespace

void RegisterMujoco(Napi::Env env, Napi::Object exports) {
  static constexpr KernelRow rows[] = {
      {"mujocoEngine(libPath: string): MujocoEngineStatus", Engine},
      {"mujocoOpen(xmlPath: string, rows: number): MujocoSim", Open},
      {"mujocoFacts(sim): MujocoFacts", Facts},
      {"mujocoSetState(sim, row, qpos: Float64Array, qvel: Float64Array)", SetState},
      {"mujocoStep(sim, ctrl: Float64Array, frameSkip, qpos: Float64Array, qvel: Float64Array)", Step},
      {"mujocoContactForces(sim, out: Float64Array)", ContactForces},
      {"mujocoGetState(sim, out: Float64Array)", GetState},
      {"mujocoSetFullState(sim, state: Float64Array)", SetFullState},
  };
  registerKernels(env, exports, rows);
}

}  // namespace ol::napi
