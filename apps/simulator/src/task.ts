import { parentPort, workerData } from 'node:worker_threads';
import { SCENARIOS } from './scenarios.js';
import { simulate } from './simulate.js';
import { VARIANTS } from './variants/index.js';

// One simulation in its own thread (its own globals, so its own virtual clock): scenario × variant × seed.
const { scenario, variant, seed } = workerData as { scenario: number; variant: number; seed: number };
const measurement = await simulate(SCENARIOS[scenario] as never, VARIANTS[variant] as never, seed);
parentPort?.postMessage(measurement);
