import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';

// Packing and installing is slow work done once per package; give it room.
export default mergeConfig(shared, defineConfig({ test: { testTimeout: 180_000, hookTimeout: 300_000 } }));
