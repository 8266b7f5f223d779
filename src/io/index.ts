// File formats and safe file writing shared by the algorithms and the CLI.

export { writeFileAtomic, writeFileAtomicSync } from './atomic.js';
export type { Checkpoint, CheckpointArray, DecodeOptions, JsonValue } from './checkpoint.js';
export {
  CHECKPOINT_VERSION,
  decodeCheckpoint,
  encodeCheckpoint,
  loadCheckpoint,
  saveCheckpoint,
  saveCheckpointSync,
} from './checkpoint.js';
export { crc32 } from './crc32.js';
