// The bookkeeping PPO and A2C share around their update loops: where the run starts (update 0 or
// the resumed update), its elapsed seconds across resumes, and the TrainingRun handle that
// onUpdate receives to save a resumable checkpoint.
import type { Checkpoint } from '../io/checkpoint.js';
import { saveCheckpoint, saveCheckpointSync } from '../io/checkpoint.js';
import type { TrainingRun } from './config.js';
import { type TrainingParts, trainingCheckpoint } from './train_state.js';

/** A live run: counts updates and seconds from its start (or the state it resumed). */
export class TrainingSession implements TrainingRun {
  /** Updates done so far. */
  update: number;
  private seconds: number;
  private readonly startSeconds: number;
  private readonly t0 = performance.now();
  private final: Checkpoint | undefined;

  constructor(
    private readonly parts: Omit<TrainingParts, 'update' | 'steps' | 'seconds'>,
    private readonly batchSize: number,
    start: { update: number; seconds: number } = { update: 0, seconds: 0 },
  ) {
    this.update = start.update;
    this.seconds = start.seconds;
    this.startSeconds = start.seconds;
  }

  /** Seconds of training so far, the resumed run's included. */
  elapsed(): number {
    return this.startSeconds + (performance.now() - this.t0) / 1000;
  }

  /** Records that `update` is done, `seconds` into the run (what its stats report). */
  completed(update: number, seconds: number): void {
    this.update = update;
    this.seconds = seconds;
  }

  checkpoint(): Checkpoint {
    if (this.final) return this.final;
    return trainingCheckpoint({
      ...this.parts,
      update: this.update,
      steps: this.update * this.batchSize,
      seconds: this.seconds,
    });
  }

  save(path: string): Promise<void> {
    return saveCheckpoint(path, this.checkpoint());
  }

  saveSync(path: string): void {
    saveCheckpointSync(path, this.checkpoint());
  }

  /** Takes the final state (before the env closes); later calls return it. */
  finish(): Checkpoint {
    this.final = this.checkpoint();
    return this.final;
  }
}
