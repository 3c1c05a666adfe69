import { defineConfig } from 'tsup';

// One entry per transform folder, so the CLI finds them by reading dist/transforms/.
export default defineConfig({
  entry: ['src/cli.ts', 'src/index.ts', 'src/transforms/*/index.ts', 'src/transforms/index.ts', 'src/plan/rules/*.ts'],
  dts: { entry: 'src/index.ts' },
  format: ['esm'],
  clean: true,
  sourcemap: true,
  target: 'node20',
  skipNodeModulesBundle: true,
});
