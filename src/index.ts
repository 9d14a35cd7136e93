/**
 * midpath as a library: the same checks the CLI runs, from TypeScript.
 *
 * ```ts
 * import { check, meetsExpectations, presets } from 'midpath';
 * const result = check(presets.load('kb-16099-keepalive-325'));
 * expect(meetsExpectations(result)).toBe(true);
 * ```
 *
 * Results are typed data (`ScenarioResult`); `midpath check --json` prints
 * their serialisation.
 *
 * @module
 */
import { isPresetName, listPresets, loadPreset, presetNames } from './scenarios/presets.ts';

export { check, checkTopology, meetsExpectations } from './check.ts';
export type { CheckOptions, PropertyResult, ScenarioResult } from './check.ts';
export { formatInterval } from './engine/interval.ts';
export type { Interval } from './engine/interval.ts';
export { properties, propertyById } from './properties/catalogue.ts';
export type { Property, PropertyId } from './properties/catalogue.ts';
export { parseScenarioText } from './scenarios/loadScenario.ts';
export { loadScenarioFile, loadScenarioFile as loadScenario, resolveScenario } from './node/loadScenarioFile.ts';
export { validateScenario } from './scenarios/validateScenario.ts';
export { ScenarioError } from './scenarios/scenarioError.ts';
export type { ScenarioIssue, ScenarioIssueCode } from './scenarios/scenarioError.ts';
export type {
  Addresses,
  ApplianceGroup,
  ApplianceType,
  Boundary,
  EndpointConfig,
  Expectation,
  Expectations,
  GwlbHop,
  Hop,
  KeepaliveTimers,
  Scenario,
  Stickiness,
} from './scenarios/scenario.ts';
export type { Topology } from './system/topology.ts';
export type { Trace, TraceStep } from './system/trace.ts';

/**
 * The bundled scenarios (Palo Alto KB 16099 and its fixes), each with its
 * `expect`: `names()` in a fixed order, `load(name)` a validated Scenario
 * (throws ScenarioError for an unknown name), `list()` names with
 * descriptions, `has(name)`.
 */
export const presets = {
  names: presetNames,
  load: loadPreset,
  list: listPresets,
  has: isPresetName,
} as const;

/** fast-check arbitraries (topologies, theorem families, traffic biased at every timeout), for fuzzing your own properties. */
export * as arbitraries from './properties/arbitraries.ts';
/** The headline theorem as an oracle: predicted verdicts and windows from a topology's numbers alone. */
export * from './properties/oracle.ts';
export { defaultEnvironment } from './system/topology.ts';
export { ProductSystem } from './system/product.ts';
export { Simulator } from './system/simulator.ts';
export { explore } from './engine/explore.ts';
