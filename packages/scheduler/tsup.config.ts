import { defineConfig } from 'tsup';
import { libraryConfig } from '../../tsup.shared.js';

// `@scope/scheduler/check`: the option checks, for packages built on the scheduler to share (they bundle them).
export default defineConfig({ ...libraryConfig, entry: { index: 'src/index.ts', check: 'src/common/check.ts' } });
