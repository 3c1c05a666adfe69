import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';

// A block runs in a child process in real time: the throttle's take its 15 s windows, the fleet's a first window.
export default mergeConfig(shared, defineConfig({ test: { testTimeout: 120_000 } }));
