import { defineConfig } from 'tsup';

/** How every published library builds: ESM and CommonJS with .d.ts for each, for Node 20. */
export const libraryConfig = defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
});
