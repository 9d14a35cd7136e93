/**
 * `npm run lab`: the conformance lab. Runs the KB presets (both re-pin
 * branches) and fast-check-generated scenarios on real Linux and on the
 * model, prints the agreement table and writes `lab/results.json`.
 *
 * Environment: MIDPATH_LAB_RUNS (generated scenarios, default 4),
 * MIDPATH_LAB_SEED (generator seed, default MIDPATH_SEED or a fresh one,
 * always printed), MIDPATH_LAB_CONCURRENCY (parallel runs, default 6),
 * MIDPATH_LAB_PRESETS (comma-separated preset names), MIDPATH_LAB_TLP=off
 * (disable tail loss probes in the endpoints' namespaces).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateScenarios } from './generate.ts';
import { runLab } from './lab.ts';
import { LAB_PRESETS, presetScenario, type LabScenario } from './labScenario.ts';
import { NamespaceUnavailableError, installCleanupHandlers } from './netns.ts';
import { formatTable } from './table.ts';
import { cleanup } from './cleanup.ts';

const env = process.env;
const seed = Number(env['MIDPATH_LAB_SEED'] ?? env['MIDPATH_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
const generated = Number(env['MIDPATH_LAB_RUNS'] ?? 4);
const concurrency = Number(env['MIDPATH_LAB_CONCURRENCY'] ?? 6);
const presets = env['MIDPATH_LAB_PRESETS'] === undefined ? [...LAB_PRESETS] : env['MIDPATH_LAB_PRESETS'].split(',').filter((s) => s !== '');

async function main(): Promise<number> {
  installCleanupHandlers();
  cleanup(false);
  const scenarios: LabScenario[] = [...presets.flatMap((p) => [presetScenario(p, 1), presetScenario(p, 0)]), ...generateScenarios(seed, generated)];
  console.log(`midpath conformance lab: ${scenarios.length} runs (${presets.length} presets × 2 re-pin branches, ${generated} generated, seed ${seed}), ${concurrency} in parallel`);
  const outDir = fileURLToPath(new URL('./out/', import.meta.url));
  const result = await runLab({
    scenarios,
    seed,
    concurrency,
    outDir,
    onRun: (r) => console.log('rows' in r ? `  done ${r.name} (${r.realSeconds.toFixed(1)} s): ${r.rows.filter((x) => x.verdict === 'agree').length}/${r.rows.length} agree` : `  FAILED ${r.name}: ${r.error}`),
  });
  console.log(`\n${formatTable(result)}`);
  const file = fileURLToPath(new URL('./results.json', import.meta.url));
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nwrote ${file} (captures in ${outDir})`);
  return result.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof NamespaceUnavailableError) console.error(`\nlab FAILED: ${e.message}`);
    else console.error(e);
    process.exit(1);
  },
);
