// The MuJoCo engine kernels (native/napi/mujoco.cc over native/core/mujoco/engine.h). libmujoco
// is loaded at run time with dlopen, so these exist on every native build; without the MuJoCo
// headers at build time or the library at run time they report why. The js backend has no
// physics engine: its twins throw an OuterloopError saying how to get one.

declare const mujocoSimBrand: unique symbol;
/** An opaque simulator: one mjModel and one mjData per row, freed by the garbage collector. */
export type MujocoSim = { readonly [mujocoSimBrand]: true };

/** What `mujocoEngine` found. */
export interface MujocoEngineStatus {
  /** Whether the addon was compiled with the MuJoCo headers. */
  compiled: boolean;
  /** The header version the addon was compiled against ('2.2.2'), or null. */
  header: string | null;
  /** The loaded library's version ('2.2.2'), or null when none could be loaded. */
  version: string | null;
  /** The library path asked for or loaded. */
  path: string;
  /** Why no engine is usable, or null. */
  error: string | null;
}

/** Facts of a loaded model (MuJoCo's names and arrays, flattened). */
export interface MujocoFacts {
  /** Generalized coordinates (mjModel.nq). */
  nq: number;
  /** Degrees of freedom (mjModel.nv). */
  nv: number;
  /** Actuators (mjModel.nu). */
  nu: number;
  /** The physics timestep in seconds (opt.timestep). */
  timestep: number;
  /** Body names, the world body first. */
  bodyNames: string[];
  /** Joint names. */
  jointNames: string[];
  /** Actuator names. */
  actuatorNames: string[];
  /** [nbody] kg, the world body first. */
  bodyMass: number[];
  /** [njnt × 2] radians (hinges) or metres (slides); 0, 0 where unlimited. */
  jointRange: number[];
  /** [njnt] 1 where the joint is limited. */
  jointLimited: number[];
  /** [nu] the first component of each actuator's gear. */
  actuatorGear: number[];
  /** [nu × 2] */
  ctrlRange: number[];
  /** [nq] the model's reference pose. */
  qpos0: number[];
  /** Doubles per row in a full-state snapshot (mujocoGetState): 1 + nq + 3·nv + na + nu + 6·nbody + 7·nmocap + nuserdata. */
  stateSize: number;
}

/**
 * The MuJoCo kernels. A MuJoCo fatal error inside a call (mju_error, e.g. "Stack overflow" when
 * a model's nstack is too small) does not end the process: the failing row's mjData is reset, the
 * other rows complete, and the call throws a plain Error "mujoco: row r: MuJoCo: message".
 */
export interface MujocoKernels {
  /** Loads libmujoco at `libPath` ('' searches the default names) and says what was found. */
  mujocoEngine(libPath: string): MujocoEngineStatus;
  /** Loads an MJCF file for `rows` independent rows; a RangeError naming xmlPath carries MuJoCo's message (or why there is no engine). */
  mujocoOpen(xmlPath: string, rows: number): MujocoSim;
  mujocoFacts(sim: MujocoSim): MujocoFacts;
  /** Resets one row and sets its state (qpos [nq], qvel [nv]), recomputing derived quantities. */
  mujocoSetState(sim: MujocoSim, row: number, qpos: Float64Array, qvel: Float64Array): void;
  /**
   * Applies ctrl [rows × nu] for frameSkip physics steps in every row (rows in parallel) and
   * writes the new qpos [rows × nq] and qvel [rows × nv].
   */
  mujocoStep(sim: MujocoSim, ctrl: Float64Array, frameSkip: number, qpos: Float64Array, qvel: Float64Array): void;
  /**
   * Writes every row's external contact forces cfrc_ext [rows × nbody × 6] (torque, then force,
   * per body) for the current state: MuJoCo ≥ 2.0 leaves them unset after a step unless asked.
   */
  mujocoContactForces(sim: MujocoSim, out: Float64Array): void;
  /**
   * Writes every row's full state [rows × stateSize]: time, qpos, qvel, act, qacc_warmstart, ctrl,
   * qfrc_applied, xfrc_applied, mocap_pos, mocap_quat, userdata (everything a step reads besides
   * the model; the solver's warm start included, so a restored row steps bit-identically).
   */
  mujocoGetState(sim: MujocoSim, out: Float64Array): void;
  /**
   * Sets every row's full state from [rows × stateSize] as mujocoGetState wrote it, then
   * recomputes the derived quantities. Every value is checked (finite) before any row changes.
   */
  mujocoSetFullState(sim: MujocoSim, state: Float64Array): void;
}
