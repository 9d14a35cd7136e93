import { fileURLToPath } from 'node:url';
import { loadScenarioFile } from '../node/loadScenarioFile.ts';
import type { Scenario } from './scenario.ts';
import { ScenarioError } from './scenarioError.ts';
import { suggestName } from './suggestName.ts';

/**
 * The built-in scenarios, one YAML file each in `./presets/`: Palo Alto KB
 * 16099 as reported, and each fix the KB and AWS offer (domain-facts §1.4,
 * Modelling consequences 6); then public incidents of idle connections dying
 * on other paths (domain-facts §5, §11), each followed by its fix; each with
 * the outcome it must show.
 */
const KB_PRESET_NAMES = [
  'kb-16099',
  'kb-16099-keepalive-325',
  'kb-16099-server-idle-325',
  'kb-16099-gwlb-timeout-600',
  'kb-16099-fw-timeout-300',
  'kb-16099-gwlb-reset',
] as const;

/** Public incidents (each naming its public report in its description) and their fixes. */
const INCIDENT_PRESET_NAMES = [
  'nat-gateway-python-pool',
  'nat-gateway-python-pool-keepalive',
  'nat-gateway-node-keepalive-350',
  'nat-gateway-node-keepalive-349',
  'nlb-grpc-no-keepalive',
  'nlb-grpc-keepalive-300',
  'nlb-pgbouncer-keepalive-7200',
  'nlb-pgbouncer-keepalive-300',
  'azure-ilb-firewall-pair',
  'azure-ilb-firewall-pair-keepalive',
  'azure-lb-kafka',
  'azure-lb-kafka-idle-540',
  'gcp-firewall-10-minutes',
  'gcp-firewall-keepalive-300',
  'nat-gateway-keepalive-7200',
  'nat-instance-keepalive-7200',
] as const;

const PRESET_NAMES = [...KB_PRESET_NAMES, ...INCIDENT_PRESET_NAMES] as const;

/** The names of the built-in scenarios, in a fixed order (the KB case first). */
export function presetNames(): string[] {
  return [...PRESET_NAMES];
}

/** The KB 16099 presets (one GWLB hop with its appliances), in order: what the lab and the SPIN export cover. */
export function kbPresetNames(): string[] {
  return [...KB_PRESET_NAMES];
}

/** The public-incident presets and their fixes, in order. */
export function incidentPresetNames(): string[] {
  return [...INCIDENT_PRESET_NAMES];
}

/** True when `name` is a built-in scenario. */
export function isPresetName(name: string): boolean {
  return (PRESET_NAMES as readonly string[]).includes(name);
}

/** Where a preset's file lives, next to this module. */
export function presetPath(name: string): string {
  return fileURLToPath(new URL(`./presets/${name}.yaml`, import.meta.url));
}

/**
 * Loads a built-in scenario by name.
 *
 * @throws ScenarioError when there is no preset of that name (with the closest name, if any)
 */
export function loadPreset(name: string): Scenario {
  if (!isPresetName(name)) {
    const hint = suggestName(name, PRESET_NAMES);
    throw new ScenarioError(name, [
      { path: '', code: 'not-found', message: `no preset of that name${hint === undefined ? '' : ` (did you mean ${hint}?)`}; presets: ${PRESET_NAMES.join(', ')}` },
    ]);
  }
  return loadScenarioFile(presetPath(name));
}

/** Every built-in scenario's name and description, for `midpath presets`. */
export function listPresets(): { name: string; description: string }[] {
  return PRESET_NAMES.map((name) => ({ name, description: loadPreset(name).description }));
}
