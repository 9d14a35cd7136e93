import { readFileSync, statSync } from 'node:fs';
import { MAX_SCENARIO_BYTES, parseYamlSource } from './parseYamlSource.ts';
import type { Scenario } from './scenario.ts';
import { ScenarioError } from './scenarioError.ts';
import { validateScenario } from './validateScenario.ts';

/**
 * Parses and validates scenario text (YAML 1.2, or JSON, which is YAML 1.2).
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

/**
 * Reads a scenario file (YAML or JSON, at most 1 MiB, UTF-8) and validates
 * it. Only reads: nothing is ever written to the file.
 *
 * @throws ScenarioError when the file is missing, unreadable or invalid
 */
export function loadScenarioFile(path: string): Scenario {
  return parseScenarioText(readScenarioText(path), path);
}

/** The file's text, or a ScenarioError saying why it cannot be read. */
function readScenarioText(path: string): string {
  const fail = (message: string): ScenarioError => new ScenarioError(path, [{ path: '', code: 'io', message }]);
  let bytes: Buffer;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw fail('is a directory, not a scenario file');
    if (stat.size > MAX_SCENARIO_BYTES) {
      throw new ScenarioError(path, [{ path: '', code: 'too-large', message: `the file is ${stat.size} bytes, over the 1 MiB limit (${MAX_SCENARIO_BYTES} bytes) for a scenario` }]);
    }
    bytes = readFileSync(path);
  } catch (e) {
    if (e instanceof ScenarioError) throw e;
    const code = (e as { code?: unknown } | null)?.code;
    if (code === 'ENOENT') throw fail('no such file');
    if (code === 'EACCES' || code === 'EPERM') throw fail('permission denied');
    throw fail(`cannot read the file (${e instanceof Error ? e.message : String(e)})`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw fail('is not UTF-8 text (a scenario is a YAML or JSON text file)');
  }
}

/** Any failure as a ScenarioError: an internal error becomes one issue instead of a stack trace. */
function asScenarioError(e: unknown, sourceName: string): ScenarioError {
  if (e instanceof ScenarioError) return e;
  const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return new ScenarioError(sourceName, [{ path: '', code: 'syntax', message: `the scenario cannot be read (${message})` }]);
}
