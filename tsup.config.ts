import { defineConfig } from 'tsup';

// ESM and CommonJS builds of the library and the CLI; declarations come from tsc (tsconfig.build.json).
export default defineConfig([
  {
    entry: { index: 'src/index.ts', 'cli/run': 'src/cli/run.ts' },
    format: ['esm'],
    outDir: 'dist/esm',
    target: 'node20',
    platform: 'node',
    splitting: true,
    sourcemap: true,
    clean: true,
    dts: false,
  },
  {
    entry: { index: 'src/index.ts' },
    format: ['cjs'],
    outDir: 'dist/cjs',
    outExtension: () => ({ js: '.cjs' }),
    target: 'node20',
    platform: 'node',
    shims: true,
    sourcemap: true,
    clean: true,
    dts: false,
  },
]);
