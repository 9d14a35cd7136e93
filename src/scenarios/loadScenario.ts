import { parseYamlSource } from './parseYamlSource.ts';
import type { Scenario } from './scenario.ts';
import { ScenarioError } from './scenarioError.ts';
import { validateScenario } from './validateScenario.ts';

/**
 * Parses and validates scenario text (YAML 1.2, or JSON, which is YAML 1.2).
 * Takes text, never a path: reading files is src/node/loadScenarioFile.ts's job.
 *
 * @param text the file contents
 * @param sourceName shown before each message, e.g. `kb.yaml`
 * @throws ScenarioError for anything wrong with the text, with field paths and lines; never anything else
 */
export function parseScenarioText(text: string, sourceName: string): Scenario {
  try {
    const { value, locate } = parseYamlSource(text, sourceName);
    return validateScenario(value, sourceName, locate);
  } catch (e) {
    throw asScenarioError(e, sourceName);
  }
}

/** Any failure as a ScenarioError: an internal error becomes one issue instead of a stack trace. */
function asScenarioError(e: unknown, sourceName: string): ScenarioError {
  if (e instanceof ScenarioError) return e;
  const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return new ScenarioError(sourceName, [{ path: '', code: 'syntax', message: `the scenario cannot be read (${message})` }]);
}

