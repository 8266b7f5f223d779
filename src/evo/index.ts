/**
 * The public `evo` namespace: ask/tell evolution strategies with explicit state, fitness shaping,
 * novelty search, benchmark functions and the optimize loop.
 *
 * @module
 */

export { type ArchiveRow, gridArchiveRows, sereneArchiveRows, writeArchiveJsonl } from './archive_file.js';
export {
  type BehaviourDescriptor,
  type PolicyBehaviour,
  type PolicyBehaviourOptions,
  policyBehaviour,
} from './behaviour.js';
export { dvdDeterminant, standardizeEmbeddings } from './dvd_kernel.js';
export { evaluate, evaluateSync, type FitnessFn } from './evaluate.js';
export * as functions from './functions.js';
export { type ArchiveAddResult, type GridArchive, type GridArchiveOptions, gridArchive } from './grid_archive.js';
export { type MazeOutcome, type MazeWall, type PointMaze, type PointMazeOptions, pointMaze } from './maze.js';
export { type NoiseTable, noiseTable } from './noise.js';
export { type NoveltyArchive, type NoveltyArchiveOptions, noveltyArchive } from './novelty.js';
export {
  type GenerationStats,
  type OptimizeOptions,
  type OptimizeResult,
  optimize,
  type StrategyName,
} from './optimize.js';
export { type ClipUpOptions, clipUp, gradientDescent } from './optimizers.js';
export {
  type PbtGeneration,
  type PbtHyper,
  type PbtMemberTrace,
  type PbtOptions,
  type PbtResult,
  type PbtTrainer,
  type PbtTrainResult,
  type PbtTrainStep,
  pbt,
  pbtExploitExplore,
  pbtInitialHyper,
  pbtMemberSeed,
  pbtRank,
  pbtSample,
} from './pbt.js';
export { type PbtPpoTrainerOptions, pbtCheckpointPath, pbtPpoTrainer } from './pbt_ppo.js';
export {
  type PopulationRolloutOptions,
  type PopulationRolloutResult,
  rolloutPopulation,
  rolloutPopulationSync,
} from './rollout.js';
export {
  paretoFront,
  type SereneEvaluation,
  type SereneOptions,
  type SereneProgress,
  type SereneResult,
  serene,
} from './serene.js';
export { centeredRanks, normalized, type Shaping, zScore } from './shaping.js';
export { type CboOptions, type CboState, cbo } from './strategies/cbo.js';
export { type CmaEsOptions, type CmaEsPopulation, type CmaEsState, cmaEs, sepCmaEs } from './strategies/cma_es.js';
export type { CmaParams } from './strategies/cma_params.js';
export {
  type DvdOptions,
  type DvdPopulation,
  type DvdState,
  type DvdStrategy,
  dvd,
  dvdBanditArm,
  dvdBanditPosterior,
} from './strategies/dvd.js';
export { type GaOptions, type GaPopulation, type GaState, type GaStrategy, ga } from './strategies/ga.js';
export {
  type MapElitesOptions,
  type MapElitesPopulation,
  type MapElitesState,
  type MapElitesStrategy,
  mapElites,
} from './strategies/map_elites.js';
export {
  type OpenAiEsOptions,
  type OpenAiEsPopulation,
  type OpenAiEsState,
  openaiEs,
} from './strategies/openai_es.js';
export { type PgpeOptions, type PgpePopulation, type PgpeState, pgpe } from './strategies/pgpe.js';
export { type SnesOptions, type SnesPopulation, type SnesState, snes, snesUtilities } from './strategies/snes.js';
export {
  type ZoRankOptions,
  type ZoRankPopulation,
  type ZoRankState,
  zoRank,
  zoRankCoefficients,
} from './strategies/zo_rank.js';
export type {
  CommonOptions,
  Fitness,
  MeanOptimizer,
  NonFinitePolicy,
  Population,
  Strategy,
  StrategyState,
} from './types.js';
