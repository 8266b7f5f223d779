// The kernel list is declared once per side: the Backend interface (with typed js twins) in
// TypeScript, one table per family in native/napi. This test proves the two sides agree: every
// js kernel exists on the addon with the same number of arguments, and the addon exports nothing
// the js backend lacks.
import { describe, expect, it } from 'vitest';
import { loadAddon } from '../src/backend/native/addon.js';
import { jsBackend, nativeBackend, paritySuite } from './helpers/backends.js';

// The backend's own name is the one member that is not an addon export.
const NOT_KERNELS = new Set(['name']);

describe.skipIf(!nativeBackend)(paritySuite('kernel table'), () => {
  const addon = loadAddon() as unknown as Record<string, unknown> & { kernelArity: Record<string, number> };
  const jsKernels = Object.entries(jsBackend as unknown as Record<string, unknown>).filter(
    ([k]) => !NOT_KERNELS.has(k),
  );

  it('every js kernel is a function the addon exports with the same arity', () => {
    const mismatched: string[] = [];
    for (const [name, fn] of jsKernels) {
      expect(typeof fn, name).toBe('function');
      const arity = addon.kernelArity[name];
      if (typeof addon[name] !== 'function' || arity === undefined) mismatched.push(`${name}: missing on the addon`);
      else if ((fn as (...a: unknown[]) => unknown).length !== arity)
        mismatched.push(`${name}: js takes ${(fn as () => void).length}, native ${arity}`);
    }
    expect(mismatched).toEqual([]);
  });

  it('the addon exports no kernel the js backend lacks, and registers every export through a table', () => {
    const jsNames = new Set(jsKernels.map(([k]) => k));
    const extra = Object.keys(addon.kernelArity).filter((k) => !jsNames.has(k));
    expect(extra).toEqual([]);
    const unregistered = Object.keys(addon).filter((k) => k !== 'kernelArity' && !(k in addon.kernelArity));
    expect(unregistered).toEqual([]);
  });
});
