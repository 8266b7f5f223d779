import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { backend, version } from '../src/index.js';

describe('backend selection', () => {
  it('uses native on a machine that built the addon, unless OUTERLOOP_BACKEND says otherwise', () => {
    const forced = process.env.OUTERLOOP_BACKEND;
    // CI builds the addon from source, so a silent fallback to js must fail here.
    expect(backend.current()).toBe(forced === 'js' ? 'js' : 'native');
  });

  it('reports info', () => {
    const info = backend.info();
    expect(info.version).toBe(version);
    expect(info.threads).toBeGreaterThanOrEqual(1);
    expect(typeof info.simd).toBe('string');
    expect(typeof info.cuda).toBe('boolean');
  });

  it('switches backends and restores', () => {
    const before = backend.current();
    backend.use('js');
    expect(backend.current()).toBe('js');
    expect(backend.threads()).toBe(1);
    if (backend.available().includes('native')) {
      backend.use('native');
      expect(backend.current()).toBe('native');
      const t = backend.threads();
      expect(backend.threads(1)).toBe(1);
      expect(backend.threads(t)).toBe(t);
    }
    backend.use(before);
  });

  it('rejects bad names and thread counts', () => {
    // @ts-expect-error wrong name on purpose
    expect(() => backend.use('gpu')).toThrow(RangeError);
    expect(() => backend.threads(0)).toThrow(RangeError);
    expect(() => backend.threads(1.5)).toThrow(RangeError);
  });

  it('keeps version equal to package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(version).toBe(pkg.version);
  });
});
