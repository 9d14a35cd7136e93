import { fileURLToPath } from 'node:url';
import { loadScenarioFile } from '../node/loadScenarioFile.ts';
import type { Scenario } from './scenario.ts';
import { ScenarioError } from './scenarioError.ts';
import { suggestName } from './suggestName.ts';

/**
 * The built-in scenarios, one YAML file each in `./presets/`: Palo Alto KB
 * 16099 as reported, and each fix the KB and AWS offer (domain-facts §1.4,
 * Modelling consequences 6), with the outcome each must show.
 */
const PRESET_NAMES = [
  'kb-16099',
  'kb-16099-keepalive-325',
  'kb-16099-server-idle-325',
  'kb-16099-gwlb-timeout-600',
  'kb-16099-fw-timeout-300',
  'kb-16099-gwlb-reset',
] as const;

/** The names of the built-in scenarios, in a fixed order (the KB case first). */
export function presetNames(): string[] {
  return [...PRESET_NAMES];
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
