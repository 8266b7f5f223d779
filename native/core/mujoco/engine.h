// The MuJoCo engine, loaded at run time. libmujoco is opened with dlopen when a model is first
// asked for, so the addon has no link-time dependency on it and loads on machines without it.
// The C++ here is compiled only where <mujoco/mujoco.h> exists; elsewhere every entry point
// reports "built without MuJoCo headers". The headers fix the structs' layout, so the library
// must be the same version (mj_version() == mjVERSION_HEADER) or it is refused.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace ol::mujoco {

// What load() found: the library's version ("2.2.2") or why none could be used.
struct EngineStatus {
  bool ok = false;
  std::string version;
  std::string error;
  std::string path;
};

// Whether this binary was compiled with the MuJoCo headers.
bool compiledWithHeaders();
// The header version the structs were compiled against ("2.2.2"), or "" without headers.
std::string headerVersion();

// Opens libmujoco at `libPath` ("" tries libmujoco.so.<header version>, then libmujoco.so).
// The first library that loads is kept for the process; asking for a different path later
// reports an error for that path and keeps the first.
EngineStatus load(const std::string& libPath);

// Facts of a loaded model, for checks against the published robot (tests) and for the envs.
struct ModelFacts {
  int nq = 0, nv = 0, nu = 0;
  double timestep = 0;
  std::vector<std::string> bodyNames, jointNames, actuatorNames;
  std::vector<double> bodyMass;       // nbody
  std::vector<double> jointRange;     // njnt × 2 (0, 0 where unlimited)
  std::vector<unsigned char> jointLimited;  // njnt
  std::vector<double> actuatorGear;   // nu (the first gear component)
  std::vector<double> ctrlRange;      // nu × 2
  std::vector<double> qpos0;          // nq
  // Doubles per row in a full-state snapshot (Sim::getState): 1 + 3·nv + nq + na + nu + 6·nbody
  // + 7·nmocap + nuserdata.
  size_t stateSize = 0;
};

// One mjModel and one mjData per row. Rows step independently on the thread pool.
class Sim {
 public:
  // Loads the MJCF file for `rows` rows; returns null and sets *error on failure.
  static std::unique_ptr<Sim> open(const std::string& xmlPath, size_t rows, std::string* error);
  ~Sim();
  Sim(const Sim&) = delete;
  Sim& operator=(const Sim&) = delete;

  size_t rows() const { return rows_; }
  const ModelFacts& facts() const { return facts_; }

  // Resets row `row`'s data and sets its state (nq and nv values), then recomputes the derived
  // quantities (mj_forward) so the next step starts from exactly this state.
  // Each call returns "" or, after a MuJoCo fatal error (mju_error), "row r: MuJoCo: message";
  // the failing rows are reset (mj_resetData) and the others completed.
  std::string setState(size_t row, const double* qpos, const double* qvel);
  // Every row: ctrl[row × nu] applied for frameSkip physics steps; the new state is written to
  // qpos[rows × nq] and qvel[rows × nv]. Rows run in parallel; each row's result does not depend
  // on the thread count (one mjData per row, nothing shared but the read-only model).
  std::string step(const double* ctrl, int frameSkip, double* qpos, double* qvel);
  // Every row's external contact forces on each body, cfrc_ext [rows × nbody × 6] (torque then
  // force, in the body's centre-of-mass frame), computed for the current state.
  std::string contactForces(double* out);
  // Every row's full state [rows × facts().stateSize], in this order: time, qpos (nq), qvel (nv),
  // act (na), qacc_warmstart (nv), ctrl (nu), qfrc_applied (nv), xfrc_applied (6·nbody),
  // mocap_pos (3·nmocap), mocap_quat (4·nmocap), userdata (nuserdata): everything mj_step reads
  // besides the model (MuJoCo 2.2 has no mj_getState). The warm start is in it because the
  // constraint solver starts from it (on the shipped models its Newton solver happened to land on
  // the same next state without it over the 50 steps tested, but nothing promises that).
  void getState(double* out) const;
  // Sets every row's full state from [rows × facts().stateSize] as getState wrote it (the row is
  // reset first, then mj_forward recomputes the derived quantities), so the next step is the one
  // the saved rows would have taken. "" or the first row's MuJoCo fatal error, as step().
  std::string setFullState(const double* in);

 private:
  Sim() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
  size_t rows_ = 0;
  ModelFacts facts_;
};

}  // namespace ol::mujoco
