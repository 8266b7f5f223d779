// The half-cheetah MJCF written here, checked through the loaded model against the published
// facts of the standard half-cheetah (Gym/Gymnasium's half_cheetah.xml, Wawrzyński 2009): total
// mass 14 kg spread by geometry volume (capsules of radius 0.046), joint ranges, motor gears,
// controls in [-1, 1] and a 0.01 s timestep. A file that forgot settotalmass (MuJoCo's default
// density 1000 gives 21.2 kg) or swapped a range, gear or limb length fails these checks.
import { beforeAll, describe, expect, it } from 'vitest';
import { getBackend } from '../src/backend/index.js';
import type { MujocoFacts } from '../src/backend/kernels/mujoco.js';
import { modelPath } from '../src/envs/index.js';
import { mujocoSkipReason } from './helpers/mujoco.js';

const R = 0.046;
// Each body's capsules as [half-length of the cylinder part] (fromto torso: length 1 → 0.5).
const CAPSULES: Record<string, number[]> = {
  torso: [0.5, 0.15],
  bthigh: [0.145],
  bshin: [0.15],
  bfoot: [0.094],
  fthigh: [0.133],
  fshin: [0.106],
  ffoot: [0.07],
};
const capsuleVolume = (half: number): number => Math.PI * R * R * 2 * half + (4 / 3) * Math.PI * R ** 3;

const RANGES: Record<string, [number, number]> = {
  bthigh: [-0.52, 1.05],
  bshin: [-0.785, 0.785],
  bfoot: [-0.4, 0.785],
  fthigh: [-1, 0.7],
  fshin: [-1.2, 0.87],
  ffoot: [-0.5, 0.5],
};
const GEARS: Record<string, number> = { bthigh: 120, bshin: 90, bfoot: 60, fthigh: 120, fshin: 60, ffoot: 30 };

describe.skipIf(mujocoSkipReason !== null)('MuJoCo models: half_cheetah.xml', () => {
  // Loaded in beforeAll: a skipped suite's body still runs at collection.
  let facts: MujocoFacts;
  beforeAll(() => {
    const b = getBackend();
    facts = b.mujocoFacts(b.mujocoOpen(modelPath('half_cheetah.xml'), 1));
  });

  it('has the planar root, six actuated hinges and the 0.01 s timestep', () => {
    expect(facts.nq).toBe(9);
    expect(facts.nv).toBe(9);
    expect(facts.nu).toBe(6);
    expect(facts.timestep).toBe(0.01);
    expect(facts.jointNames).toEqual(['rootx', 'rootz', 'rooty', ...Object.keys(RANGES)]);
    expect(facts.bodyNames).toEqual(['world', ...Object.keys(CAPSULES)]);
  });

  it('weighs 14 kg, each body by the volume of its capsules', () => {
    const volumes = Object.values(CAPSULES).map((hs) => hs.reduce((s, h) => s + capsuleVolume(h), 0));
    const total = volumes.reduce((s, v) => s + v, 0);
    const masses = facts.bodyMass.slice(1);
    expect(masses.reduce((s, m) => s + m, 0)).toBeCloseTo(14, 10);
    for (const [i, m] of masses.entries())
      expect(m, facts.bodyNames[i + 1]).toBeCloseTo((14 * (volumes[i] as number)) / total, 10);
  });

  it('limits each leg joint to its published range and leaves the root free', () => {
    for (const [j, name] of facts.jointNames.entries()) {
      const range = RANGES[name];
      expect(facts.jointLimited[j], name).toBe(range ? 1 : 0);
      if (range) expect([facts.jointRange[2 * j], facts.jointRange[2 * j + 1]], name).toEqual(range);
    }
  });

  it('drives the joints with gears 120/90/60/120/60/30 and controls in [-1, 1]', () => {
    expect(facts.actuatorNames).toEqual(Object.keys(GEARS));
    expect(facts.actuatorGear).toEqual(Object.values(GEARS));
    expect(facts.ctrlRange).toEqual(new Array(12).fill(0).map((_, i) => (i % 2 === 0 ? -1 : 1)));
  });
});

// Gym/Gymnasium's ant: density 5 for every geom (so mass = 5 × volume), a 0.25 m sphere torso at
// 0.75 m on a free joint, capsules of radius 0.08 along the leg diagonals (aux and thigh 0.2·√2 m,
// ankle 0.4·√2 m), hips in ±30°, ankles in [30°, 70°] (legs 1, 4) or [-70°, -30°] (legs 2, 3),
// eight motors of gear 150 ordered hip_4, ankle_4, hip_1, …, and a 0.01 s timestep.
describe.skipIf(mujocoSkipReason !== null)('MuJoCo models: ant.xml', () => {
  let facts: MujocoFacts;
  beforeAll(() => {
    const b = getBackend();
    facts = b.mujocoFacts(b.mujocoOpen(modelPath('ant.xml'), 1));
  });
  const capsule = (length: number): number => Math.PI * 0.08 ** 2 * length + (4 / 3) * Math.PI * 0.08 ** 3;
  const deg = Math.PI / 180;

  it('has a free root, eight hinges, eight motors of gear 150 and the 0.01 s timestep', () => {
    expect([facts.nq, facts.nv, facts.nu]).toEqual([15, 14, 8]);
    expect(facts.timestep).toBe(0.01);
    expect(facts.qpos0.slice(0, 7)).toEqual([0, 0, 0.75, 1, 0, 0, 0]);
    expect(facts.actuatorNames).toEqual([
      'hip_4',
      'ankle_4',
      'hip_1',
      'ankle_1',
      'hip_2',
      'ankle_2',
      'hip_3',
      'ankle_3',
    ]);
    expect(facts.actuatorGear).toEqual(new Array(8).fill(150));
    expect(facts.ctrlRange).toEqual(new Array(16).fill(0).map((_, i) => (i % 2 === 0 ? -1 : 1)));
  });

  it('weighs 5 × the volume of each body’s geoms', () => {
    const torso = 5 * (4 / 3) * Math.PI * 0.25 ** 3;
    const short = 5 * capsule(0.2 * Math.SQRT2);
    const long = 5 * capsule(0.4 * Math.SQRT2);
    expect(facts.bodyMass[1]).toBeCloseTo(torso, 10);
    // Per leg: the aux body (its capsule), the thigh body, the foot body (the ankle capsule).
    for (let leg = 0; leg < 4; leg++) {
      expect(facts.bodyMass.slice(2 + 3 * leg, 5 + 3 * leg).map((m) => Number(m.toFixed(10)))).toEqual(
        [short, short, long].map((m) => Number(m.toFixed(10))),
      );
    }
  });

  it('limits the hips to ±30° and the ankles to their published ranges', () => {
    const ranges: Record<string, [number, number]> = {
      hip_1: [-30, 30],
      ankle_1: [30, 70],
      hip_2: [-30, 30],
      ankle_2: [-70, -30],
      hip_3: [-30, 30],
      ankle_3: [-70, -30],
      hip_4: [-30, 30],
      ankle_4: [30, 70],
    };
    expect(facts.jointNames).toEqual(['root', ...Object.keys(ranges)]);
    expect(facts.jointLimited).toEqual([0, 1, 1, 1, 1, 1, 1, 1, 1]);
    for (const [j, name] of facts.jointNames.entries()) {
      const r = ranges[name];
      if (!r) continue;
      expect(facts.jointRange[2 * j], name).toBeCloseTo(r[0] * deg, 12);
      expect(facts.jointRange[2 * j + 1], name).toBeCloseTo(r[1] * deg, 12);
    }
  });
});
