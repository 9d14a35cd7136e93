/**
 * Kept for imports written before file reading moved out of the scenario
 * layer: `resolveScenario` now lives in the node-only module
 * src/node/loadScenarioFile.ts.
 *
 * @module
 */
export { resolveScenario } from '../node/loadScenarioFile.ts';
