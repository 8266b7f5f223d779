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
