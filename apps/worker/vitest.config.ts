import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';

// Most of these tests start the worker as a process: on a loaded 2-core machine one start alone took 8 s.
export default mergeConfig(shared, defineConfig({ test: { testTimeout: 60_000 } }));
