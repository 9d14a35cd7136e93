/**
 * Node-only scenario loading: the one place outside src/cli that reads a
 * file. The scenario layer itself takes text (`parseScenarioText`); this
 * module reads a file with the bounds of {@link readInputText} (regular
 * files only, 1 MiB enforced while reading) and hands the text over.
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { parseScenarioText } from '../scenarios/loadScenario.ts';
import { isPresetName, loadPreset, presetNames } from '../scenarios/presets.ts';
import type { Scenario } from '../scenarios/scenario.ts';
import { ScenarioError } from '../scenarios/scenarioError.ts';
import { suggestName } from '../scenarios/suggestName.ts';
import { MAX_SCENARIO_BYTES } from '../scenarios/parseYamlSource.ts';
import { InputFileError, readInputText } from './readInputFile.ts';

/**
 * Reads a scenario file (YAML or JSON, UTF-8, a leading byte-order mark
 * allowed, at most 1 MiB) and validates it. Only reads: nothing is ever
 * written to the file. A FIFO, a device (`/dev/zero`) or a directory is
 * refused before a byte is read.
 *
 * @throws ScenarioError when the file is missing, unreadable, not a regular file, too large or invalid
 */
export function loadScenarioFile(path: string): Scenario {
  let text: string;
  try {
    text = readInputText(path, 'a scenario file', MAX_SCENARIO_BYTES);
  } catch (e) {
    if (!(e instanceof InputFileError)) throw e;
    throw new ScenarioError(path, [{ path: '', code: e.code === 'too-large' ? 'too-large' : 'io', message: e.reason.replace(/ for a scenario file/, ' for a scenario') }]);
  }
  return parseScenarioText(text, path);
}

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
