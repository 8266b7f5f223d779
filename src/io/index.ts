/**
 * File formats and safe file writing shared by the algorithms and the CLI.
 *
 * @module
 */

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
export type { NpyArray } from './npy.js';
export { decodeNpy, decodeNpz, encodeNpy, encodeNpz, exportNpy, exportNpz, importNpy, importNpz } from './npy.js';
export type { ObsNorm, OnnxExportOptions, OnnxNet } from './onnx.js';
export { encodeOnnx, exportOnnx } from './onnx.js';
export type { NamedParams, SafetensorsOptions } from './safetensors.js';
export { decodeSafetensors, encodeSafetensors, exportSafetensors, importSafetensors } from './safetensors.js';
