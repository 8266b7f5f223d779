// The run-time MuJoCo loader and the batched simulator (engine.h).
#include "core/mujoco/engine.h"

// OUTERLOOP_NO_MUJOCO builds the stubs even where the headers exist (and tests that build).
#if !defined(OUTERLOOP_NO_MUJOCO) && __has_include(<mujoco/mujoco.h>) && __has_include(<dlfcn.h>)
#define OL_HAVE_MUJOCO 1
#include <dlfcn.h>
#include <mujoco/mujoco.h>

// glibc 2.34 moved dlopen & co. into libc under a new symbol version; binding the baseline
// version keeps the prebuilt addon loadable on older glibc (there node has already loaded libdl,
// which defines it), so using dlopen does not raise the addon's glibc floor.
#if defined(__GLIBC__) && defined(__x86_64__)
#define OL_DL_BASE "GLIBC_2.2.5"
#elif defined(__GLIBC__) && defined(__aarch64__)
#define OL_DL_BASE "GLIBC_2.17"
#endif
#ifdef OL_DL_BASE
__asm__(".symver dlopen,dlopen@" OL_DL_BASE);
__asm__(".symver dlsym,dlsym@" OL_DL_BASE);
__asm__(".symver dlclose,dlclose@" OL_DL_BASE);
__asm__(".symver dlerror,dlerror@" OL_DL_BASE);
#endif

#include <cstring>
#include <mutex>
#include <stdexcept>

#include "core/parallel.h"
#endif

namespace ol::mujoco {

#ifdef OL_HAVE_MUJOCO
namespace {

// The entry points this file uses, resolved with dlsym. The types come from the header, so a
// signature change between header and library would be a compile error here, not a crash.
struct Api {
  decltype(&::mj_version) version = nullptr;
  decltype(&::mj_loadXML) loadXML = nullptr;
  decltype(&::mj_deleteModel) deleteModel = nullptr;
  decltype(&::mj_makeData) makeData = nullptr;
  decltype(&::mj_deleteData) deleteData = nullptr;
  decltype(&::mj_resetData) resetData = nullptr;
  decltype(&::mj_forward) forward = nullptr;
  decltype(&::mj_step) step = nullptr;
  decltype(&::mj_id2name) id2name = nullptr;
  decltype(&::mj_rnePostConstraint) rnePostConstraint = nullptr;
};

std::mutex gMutex;
void* gHandle = nullptr;
std::string gPath;
std::string gVersion;
Api gApi;

std::string versionString(int v) {
  return std::to_string(v / 100) + "." + std::to_string((v / 10) % 10) + "." + std::to_string(v % 10);
}

// MuJoCo prints warnings (e.g. an unstable state it resets itself) to stdout and a log file; the
// envs see them through the state instead, so they are silenced.
void quietWarning(const char*) {}

// MuJoCo's fatal errors (mju_error: e.g. "mj_stackAlloc: insufficient memory") call
// mju_user_error and, without one, print and exit(1) — ending the host process. The handler
// throws instead; mju_user_error must not return (MuJoCo would continue in a broken state), and a
// C++ exception unwinds through MuJoCo's C frames, which have no cleanups to skip (Debian's
// libmujoco has .eh_frame unwind tables; the step path allocates only from mjData's own stack,
// so nothing leaks). Every call into MuJoCo below catches it for its row, resets that row's
// mjData (mj_resetData clears the stack the error left marked) and reports the message.
struct FatalError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
[[noreturn]] void throwingError(const char* msg) { throw FatalError(msg); }

template <class F>
bool resolve(void* h, const char* name, F* out, std::string* error) {
  void* sym = dlsym(h, name);
  if (sym == nullptr) {
    *error = std::string("symbol ") + name + " not found";
    return false;
  }
  *out = reinterpret_cast<F>(sym);
  return true;
}

EngineStatus tryOpen(const std::string& path) {
  EngineStatus s;
  s.path = path;
  void* h = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (h == nullptr) {
    const char* e = dlerror();
    s.error = e != nullptr ? e : ("cannot open " + path);
    return s;
  }
  Api api;
  std::string err;
  bool ok = resolve(h, "mj_version", &api.version, &err) && resolve(h, "mj_loadXML", &api.loadXML, &err) &&
            resolve(h, "mj_deleteModel", &api.deleteModel, &err) &&
            resolve(h, "mj_makeData", &api.makeData, &err) && resolve(h, "mj_deleteData", &api.deleteData, &err) &&
            resolve(h, "mj_resetData", &api.resetData, &err) && resolve(h, "mj_forward", &api.forward, &err) &&
            resolve(h, "mj_step", &api.step, &err) && resolve(h, "mj_id2name", &api.id2name, &err) &&
            resolve(h, "mj_rnePostConstraint", &api.rnePostConstraint, &err);
  if (!ok) {
    dlclose(h);
    s.error = path + ": " + err;
    return s;
  }
  const int v = api.version();
  if (v != mjVERSION_HEADER) {
    dlclose(h);
    s.error = path + " is MuJoCo " + versionString(v) + " but outerloop was compiled against the " +
              versionString(mjVERSION_HEADER) + " headers (the structs must match)";
    return s;
  }
  using WarnFn = void (*)(const char*);
  if (auto** warn = reinterpret_cast<WarnFn*>(dlsym(h, "mju_user_warning"))) *warn = quietWarning;
  if (auto** err = reinterpret_cast<WarnFn*>(dlsym(h, "mju_user_error"))) *err = throwingError;
  gHandle = h;
  gApi = api;
  gPath = path;
  gVersion = versionString(v);
  s.ok = true;
  s.version = gVersion;
  return s;
}

std::vector<std::string> names(const mjModel* m, int type, int n) {
  std::vector<std::string> out(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    const char* s = gApi.id2name(m, type, i);
    out[static_cast<size_t>(i)] = s != nullptr ? s : "";
  }
  return out;
}

}  // namespace

bool compiledWithHeaders() { return true; }
std::string headerVersion() { return versionString(mjVERSION_HEADER); }

EngineStatus load(const std::string& libPath) {
  std::lock_guard<std::mutex> lock(gMutex);
  if (gHandle != nullptr) {
    EngineStatus s;
    s.path = libPath.empty() ? gPath : libPath;
    if (libPath.empty() || libPath == gPath) {
      s.ok = true;
      s.version = gVersion;
    } else {
      s.error = libPath + ": another libmujoco (" + gPath + ") is already loaded in this process";
    }
    return s;
  }
  if (!libPath.empty()) return tryOpen(libPath);
  EngineStatus first = tryOpen("libmujoco.so." + headerVersion());
  if (first.ok) return first;
  EngineStatus second = tryOpen("libmujoco.so");
  if (second.ok) return second;
  first.error += "; " + second.error;
  return first;
}

struct Sim::Impl {
  mjModel* model = nullptr;
  std::vector<mjData*> data;
  ~Impl() {
    for (mjData* d : data)
      if (d != nullptr) gApi.deleteData(d);
    if (model != nullptr) gApi.deleteModel(model);
  }
};

std::unique_ptr<Sim> Sim::open(const std::string& xmlPath, size_t rows, std::string* error) {
  EngineStatus s = load("");
  if (!s.ok) {
    *error = s.error;
    return nullptr;
  }
  std::unique_ptr<Sim> sim(new Sim());
  sim->impl_ = std::make_unique<Impl>();
  char buf[1000] = {0};
  sim->impl_->model = gApi.loadXML(xmlPath.c_str(), nullptr, buf, sizeof buf);
  if (sim->impl_->model == nullptr) {
    *error = xmlPath + ": " + (buf[0] != '\0' ? buf : "MuJoCo could not load the model");
    return nullptr;
  }
  const mjModel* m = sim->impl_->model;
  sim->impl_->data.assign(rows, nullptr);
  for (size_t r = 0; r < rows; ++r) {
    try {
      sim->impl_->data[r] = gApi.makeData(m);
    } catch (const FatalError& e) {
      *error = std::string("MuJoCo: ") + e.what();
      return nullptr;
    }
    if (sim->impl_->data[r] == nullptr) {
      *error = "MuJoCo could not allocate the data of row " + std::to_string(r);
      return nullptr;
    }
  }
  sim->rows_ = rows;
  ModelFacts& f = sim->facts_;
  f.nq = m->nq;
  f.nv = m->nv;
  f.nu = m->nu;
  f.timestep = m->opt.timestep;
  f.bodyNames = names(m, mjOBJ_BODY, m->nbody);
  f.jointNames = names(m, mjOBJ_JOINT, m->njnt);
  f.actuatorNames = names(m, mjOBJ_ACTUATOR, m->nu);
  f.bodyMass.assign(m->body_mass, m->body_mass + m->nbody);
  f.jointRange.assign(m->jnt_range, m->jnt_range + 2 * m->njnt);
  f.jointLimited.assign(m->jnt_limited, m->jnt_limited + m->njnt);
  for (int i = 0; i < m->nu; ++i) f.actuatorGear.push_back(m->actuator_gear[6 * i]);
  f.ctrlRange.assign(m->actuator_ctrlrange, m->actuator_ctrlrange + 2 * m->nu);
  f.qpos0.assign(m->qpos0, m->qpos0 + m->nq);
  f.stateSize = static_cast<size_t>(1 + m->nq + 3 * m->nv + m->na + m->nu + 6 * m->nbody + 7 * m->nmocap +
                                    m->nuserdata);
  return sim;
}

Sim::~Sim() = default;

// Runs fn(row) for every row on the thread pool; a MuJoCo fatal error in a row resets that row
// and the first one (by row) is returned as "row r: message" ("" when none).
template <class F>
std::string eachRow(size_t rows, mjModel* m, std::vector<mjData*>& data, F&& fn) {
  std::mutex mu;
  size_t firstRow = rows;
  std::string first;
  parallelFor(rows, 1, [&](size_t begin, size_t end) {
    for (size_t r = begin; r < end; ++r) {
      try {
        fn(r);
      } catch (const FatalError& e) {
        gApi.resetData(m, data[r]);
        std::lock_guard<std::mutex> lock(mu);
        if (r < firstRow) {
          firstRow = r;
          first = "row " + std::to_string(r) + ": MuJoCo: " + e.what();
        }
      }
    }
  }, 4);
  return first;
}

std::string Sim::setState(size_t row, const double* qpos, const double* qvel) {
  mjModel* m = impl_->model;
  mjData* d = impl_->data[row];
  gApi.resetData(m, d);
  std::memcpy(d->qpos, qpos, sizeof(double) * static_cast<size_t>(m->nq));
  std::memcpy(d->qvel, qvel, sizeof(double) * static_cast<size_t>(m->nv));
  try {
    gApi.forward(m, d);
  } catch (const FatalError& e) {
    gApi.resetData(m, d);
    return "row " + std::to_string(row) + ": MuJoCo: " + e.what();
  }
  return "";
}

std::string Sim::step(const double* ctrl, int frameSkip, double* qpos, double* qvel) {
  mjModel* m = impl_->model;
  const size_t nq = static_cast<size_t>(m->nq), nv = static_cast<size_t>(m->nv), nu = static_cast<size_t>(m->nu);
  return eachRow(rows_, m, impl_->data, [&](size_t r) {
    mjData* d = impl_->data[r];
    std::memcpy(d->ctrl, ctrl + r * nu, sizeof(double) * nu);
    for (int k = 0; k < frameSkip; ++k) gApi.step(m, d);
    std::memcpy(qpos + r * nq, d->qpos, sizeof(double) * nq);
    std::memcpy(qvel + r * nv, d->qvel, sizeof(double) * nv);
  });
}

std::string Sim::contactForces(double* out) {
  mjModel* m = impl_->model;
  const size_t per = 6 * static_cast<size_t>(m->nbody);
  return eachRow(rows_, m, impl_->data, [&](size_t r) {
    mjData* d = impl_->data[r];
    // Since MuJoCo 2.0, mj_step computes cfrc_ext only for models with force sensors; this is
    // the call Gymnasium makes after each step for the same reason (gym issue #1541).
    gApi.rnePostConstraint(m, d);
    std::memcpy(out + r * per, d->cfrc_ext, sizeof(double) * per);
  });
}

namespace {
// The fields of one row's full state, in snapshot order (engine.h, Sim::getState).
template <class F>
void eachStateField(const mjModel* m, mjData* d, F&& fn) {
  fn(&d->time, 1);
  fn(d->qpos, m->nq);
  fn(d->qvel, m->nv);
  fn(d->act, m->na);
  fn(d->qacc_warmstart, m->nv);
  fn(d->ctrl, m->nu);
  fn(d->qfrc_applied, m->nv);
  fn(d->xfrc_applied, 6 * m->nbody);
  fn(d->mocap_pos, 3 * m->nmocap);
  fn(d->mocap_quat, 4 * m->nmocap);
  fn(d->userdata, m->nuserdata);
}
}  // namespace

void Sim::getState(double* out) const {
  const mjModel* m = impl_->model;
  for (size_t r = 0; r < rows_; ++r) {
    double* o = out + r * facts_.stateSize;
    eachStateField(m, impl_->data[r], [&](const double* src, int n) {
      std::memcpy(o, src, sizeof(double) * static_cast<size_t>(n));
      o += n;
    });
  }
}

std::string Sim::setFullState(const double* in) {
  mjModel* m = impl_->model;
  return eachRow(rows_, m, impl_->data, [&](size_t r) {
    mjData* d = impl_->data[r];
    gApi.resetData(m, d);
    const auto copyIn = [&] {
      const double* p = in + r * facts_.stateSize;
      eachStateField(m, d, [&](double* dst, int n) {
        std::memcpy(dst, p, sizeof(double) * static_cast<size_t>(n));
        p += n;
      });
    };
    copyIn();
    gApi.forward(m, d);
    // mj_forward ends by storing this state's qacc as the next warm start; the saved row's warm
    // start came from the forward pass before its last integration, and the next step must start
    // from that one, so the inputs are written again over what mj_forward left.
    copyIn();
  });
}

#else  // no MuJoCo headers at build time

namespace {
const char* kNoHeaders = "outerloop was built without MuJoCo headers (install libmujoco-dev and rebuild the addon)";
}
bool compiledWithHeaders() { return false; }
std::string headerVersion() { return ""; }
EngineStatus load(const std::string& libPath) {
  EngineStatus s;
  s.path = libPath;
  s.error = kNoHeaders;
  return s;
}
struct Sim::Impl {};
std::unique_ptr<Sim> Sim::open(const std::string&, size_t, std::string* error) {
  *error = kNoHeaders;
  return nullptr;
}
Sim::~Sim() = default;
std::string Sim::setState(size_t, const double*, const double*) { return kNoHeaders; }
std::string Sim::step(const double*, int, double*, double*) { return kNoHeaders; }
std::string Sim::contactForces(double*) { return kNoHeaders; }
void Sim::getState(double*) const {}
std::string Sim::setFullState(const double*) { return kNoHeaders; }

#endif

}  // namespace ol::mujoco
