// A sparse-reward deceptive point maze for novelty search and QD (after the "hard maze" of Lehman
// & Stanley 2011 as SERENE packages it: final position as behaviour descriptor, reward only
// inside the goal area, (r − d)/r at the last step). Not a registered env: a fitness/behaviour
// function over the parameters of a tiny MLP policy.
//
// The unit square; the agent starts at (0.5, 0.15), the goal is a disc of radius 0.08 at
// (0.5, 0.85). A cup of walls opening towards the start (ceiling y = 0.6 over x ∈ [0.15, 0.85],
// sides down to y = 0.25) blocks the straight line: moving towards the goal ends under the
// ceiling at distance 0.25, and every way around first moves away from the goal — the deception.
// Policy: (2(x − ½), 2(y − ½)) → tanh hidden layer → tanh → velocity × 0.03 per step, 100 steps.
// A move is made one axis at a time and cancelled on that axis when it would cross a wall
// (no sliding through); the square's border clamps.
import { checkFloat32, checkInteger } from '../util/check.js';

/** An axis-aligned wall segment [x1, y1, x2, y2] (x1 = x2 or y1 = y2). */
export type MazeWall = readonly [number, number, number, number];

/** Options of `evo.pointMaze`. */
export interface PointMazeOptions {
  /** Hidden units of the policy MLP, default 8 (0: a linear policy). */
  hidden?: number;
  /** Steps per episode, default 100. */
  steps?: number;
}

/** What one policy does in the maze. */
export interface MazeOutcome {
  /** Sparse reward: (r − d)/r when the final position is inside the goal (d from its centre), else 0. */
  reward: number;
  /** Final (x, y), the behaviour descriptor. */
  x: number;
  y: number;
  /** Final distance to the goal centre (the dense, deceptive signal). */
  distance: number;
}

/** The point maze: geometry and the evaluation of policy parameters. */
export interface PointMaze {
  /** Policy parameters. */
  readonly dim: number;
  readonly start: readonly [number, number];
  readonly goal: readonly [number, number];
  readonly goalRadius: number;
  readonly walls: readonly MazeWall[];
  /** Runs the policy with parameters `params` [dim] for one episode (deterministic). */
  run(params: Float32Array): MazeOutcome;
  /** Runs every row of `pop` (n × dim); returns rewards, distances and descriptors (n × 2). */
  runBatch(pop: Float32Array): { rewards: Float64Array; distances: Float64Array; descriptors: Float32Array };
}

const WALLS: readonly MazeWall[] = [
  [0.15, 0.6, 0.85, 0.6],
  [0.15, 0.25, 0.15, 0.6],
  [0.85, 0.25, 0.85, 0.6],
];
const SPEED = 0.03;

/** True when the segment from a to b along one axis crosses position w (strictly leaves its side). */
const crosses = (a: number, b: number, w: number) => (a - w) * (b - w) < 0 || (b === w && a !== w);

/** The deceptive point maze (see the file comment for its geometry). */
export function pointMaze(options: PointMazeOptions = {}): PointMaze {
  if (typeof options !== 'object' || options === null) throw new TypeError('evo.pointMaze: expected an options object');
  const hidden = options.hidden ?? 8;
  const steps = options.steps ?? 100;
  checkInteger(hidden, 'evo.pointMaze: hidden', 0, 1024);
  checkInteger(steps, 'evo.pointMaze: steps', 1, 1e6);
  // Layout: [W1 (hidden×2), b1 (hidden), W2 (2×hidden), b2 (2)], or [W (2×2), b (2)] when linear.
  const dim = hidden === 0 ? 6 : hidden * 2 + hidden + 2 * hidden + 2;
  const start = [0.5, 0.15] as const;
  const goal = [0.5, 0.85] as const;
  const goalRadius = 0.08;
  const h = new Float64Array(Math.max(hidden, 2));

  const act = (p: Float32Array, x: number, y: number, out: Float64Array) => {
    const u = 2 * (x - 0.5);
    const v = 2 * (y - 0.5);
    if (hidden === 0) {
      out[0] = Math.tanh((p[0] as number) * u + (p[1] as number) * v + (p[4] as number));
      out[1] = Math.tanh((p[2] as number) * u + (p[3] as number) * v + (p[5] as number));
      return;
    }
    const b1 = 2 * hidden;
    const w2 = 3 * hidden;
    const b2 = 5 * hidden;
    for (let j = 0; j < hidden; j++)
      h[j] = Math.tanh((p[2 * j] as number) * u + (p[2 * j + 1] as number) * v + (p[b1 + j] as number));
    for (let o = 0; o < 2; o++) {
      let s = p[b2 + o] as number;
      for (let j = 0; j < hidden; j++) s += (p[w2 + o * hidden + j] as number) * (h[j] as number);
      out[o] = Math.tanh(s);
    }
  };

  const a = new Float64Array(2);
  const run = (params: Float32Array): MazeOutcome => {
    checkFloat32(params, 'evo.pointMaze: params', dim);
    let x = start[0] as number;
    let y = start[1] as number;
    for (let t = 0; t < steps; t++) {
      act(params, x, y, a);
      const nx = Math.min(1, Math.max(0, x + SPEED * (a[0] as number)));
      if (!WALLS.some(([x1, y1, x2, y2]) => x1 === x2 && y >= y1 && y <= y2 && crosses(x, nx, x1))) x = nx;
      const ny = Math.min(1, Math.max(0, y + SPEED * (a[1] as number)));
      if (!WALLS.some(([x1, y1, x2, y2]) => y1 === y2 && x >= x1 && x <= x2 && crosses(y, ny, y1))) y = ny;
    }
    const distance = Math.hypot(x - goal[0], y - goal[1]);
    return { reward: distance < goalRadius ? (goalRadius - distance) / goalRadius : 0, x, y, distance };
  };

  return {
    dim,
    start,
    goal,
    goalRadius,
    walls: WALLS,
    run,
    runBatch(pop) {
      checkFloat32(pop, 'evo.pointMaze: pop');
      if (pop.length % dim !== 0)
        throw new RangeError(`evo.pointMaze: pop: length ${pop.length} is not a multiple of dim ${dim}`);
      const n = pop.length / dim;
      const rewards = new Float64Array(n);
      const distances = new Float64Array(n);
      const descriptors = new Float32Array(2 * n);
      for (let i = 0; i < n; i++) {
        const o = run(pop.subarray(i * dim, (i + 1) * dim));
        rewards[i] = o.reward;
        distances[i] = o.distance;
        descriptors[2 * i] = o.x;
        descriptors[2 * i + 1] = o.y;
      }
      return { rewards, distances, descriptors };
    },
  };
}
