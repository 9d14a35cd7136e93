import { existsSync } from 'node:fs';
import { loadScenarioFile } from './loadScenario.ts';
import { isPresetName, loadPreset, presetNames } from './presets.ts';
import type { Scenario } from './scenario.ts';
import { ScenarioError } from './scenarioError.ts';
import { suggestName } from './suggestName.ts';

/**
 * A scenario named on the command line: a preset name (`kb-16099`) or a
 * path to a YAML/JSON file. A preset name wins over a file of the same name
 * in the working directory; write `./kb-16099` for the file.
 *
 * @throws ScenarioError when it is neither, or the file is invalid
 */
export function resolveScenario(arg: string): Scenario {
  if (isPresetName(arg)) return loadPreset(arg);
  const looksLikePath = /[\\/]/.test(arg) || /\.(ya?ml|json)$/i.test(arg);
  if (looksLikePath || existsSync(arg)) return loadScenarioFile(arg);
  const hint = suggestName(arg, presetNames());
  throw new ScenarioError(arg, [
    {
      path: '',
      code: 'not-found',
      message: `neither a preset nor a file${hint === undefined ? '' : ` (did you mean ${hint}?)`}; presets: ${presetNames().join(', ')}`,
    },
  ]);
}
