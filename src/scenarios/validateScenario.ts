import { issuesFromZod, type Locator } from './issuesFromZod.ts';
import type { Scenario } from './scenario.ts';
import { ScenarioError } from './scenarioError.ts';
import { scenarioErrorMap } from './scenarioErrorMap.ts';
import { scenarioSchema } from './scenarioSchema.ts';

/**
 * Validates an already-parsed value (from YAML, JSON or code) and resolves
 * it to a {@link Scenario} with every default filled in.
 *
 * @param value the parsed file contents
 * @param sourceName shown before each message, e.g. `kb.yaml`
 * @param locate optional: finds source lines for field paths (the loaders pass one)
 * @throws ScenarioError listing every problem, each naming its field and what is allowed; never anything else
 */
export function validateScenario(value: unknown, sourceName: string, locate?: Locator): Scenario {
  let result: ReturnType<typeof scenarioSchema.safeParse>;
  try {
    result = scenarioSchema.safeParse(value, { error: scenarioErrorMap });
  } catch (e) {
    throw new ScenarioError(sourceName, [{ path: '', code: 'invalid-value', message: `the value cannot be read as a scenario (${e instanceof Error ? e.message : 'unreadable value'})` }]);
  }
  if (result.success) return result.data;
  const issues = issuesFromZod(result.error.issues, locate);
  throw new ScenarioError(sourceName, issues.length > 0 ? issues : [{ path: '', code: 'invalid-value', message: 'invalid scenario' }]);
}
