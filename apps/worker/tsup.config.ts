import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/cli.ts', 'src/fleet-demo.ts'],
  format: ['esm'],
  clean: true,
  sourcemap: true,
  target: 'node20',
  // An app runs from this repository: its dependencies are resolved from node_modules, not bundled.
  skipNodeModulesBundle: true,
});
