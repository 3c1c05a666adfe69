import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';

// A simulation is CPU-bound work in virtual time: one scenario's variants took 24 s on a loaded 2-core machine.
export default mergeConfig(shared, defineConfig({ test: { testTimeout: 120_000 } }));
