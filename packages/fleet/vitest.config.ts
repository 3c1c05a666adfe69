import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';

// The Redis tests measure a shared budget under saturation and start child processes: one file at a time, so they
// do not load each other on a small machine.
export default mergeConfig(shared, defineConfig({ test: { fileParallelism: false } }));
