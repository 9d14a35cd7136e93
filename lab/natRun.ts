/**
 * `npx tsx lab/natRun.ts` (root): the NAT-hop conformance lab. Runs every
 * scenario of natScenarios.ts (MIDPATH_LAB_NAT=name,name for a subset) on a
 * real Linux conntrack NAT and on the `linux-conntrack` machine, prints the
 * agreement table and writes `lab/out/nat-results.json` beside the captures.
 * MIDPATH_LAB_CONCURRENCY: parallel runs (default 4). MIDPATH_LAB_NAT_RECORD=1
 * also writes each run without an unexplained row to
 * `lab/recorded/nat-<name>.json`, which `npm test` compares the machine with.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanup } from './cleanup.ts';
import { formatNatTable, recordedRun, runNatLab } from './natLab.ts';
import { NAT_SCENARIOS } from './natScenarios.ts';
import { NamespaceUnavailableError, installCleanupHandlers } from './netns.ts';

async function main(): Promise<number> {
  installCleanupHandlers();
  cleanup(false);
  const only = process.env['MIDPATH_LAB_NAT']?.split(',').filter((s) => s !== '');
  const scenarios = only === undefined ? NAT_SCENARIOS : NAT_SCENARIOS.filter((s) => only.includes(s.name));
  const concurrency = Number(process.env['MIDPATH_LAB_CONCURRENCY'] ?? 4);
  console.log(`midpath NAT-hop lab: ${scenarios.length} scenarios, ${concurrency} in parallel`);
  const result = await runNatLab(scenarios, {
    concurrency,
    outDir: fileURLToPath(new URL('./out/', import.meta.url)),
    onRun: (r) => console.log(`  done ${r.name} (${r.realSeconds.toFixed(1)} s): ${r.rows.filter((x) => x.verdict === 'agree').length}/${r.rows.length} agree`),
  });
  console.log(`\n${formatNatTable(result)}`);
  const file = fileURLToPath(new URL('./out/nat-results.json', import.meta.url));
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nwrote ${file}`);
  if (process.env['MIDPATH_LAB_NAT_RECORD'] === '1') {
    // Only runs with nothing unexplained are kept for `npm test` to compare with.
    for (const r of result.runs.filter((x) => x.rows.every((row) => row.verdict !== 'unexplained'))) {
      const rec = fileURLToPath(new URL(`./recorded/nat-${r.name}.json`, import.meta.url));
      mkdirSync(dirname(rec), { recursive: true });
      writeFileSync(rec, `${JSON.stringify(recordedRun(r, result.kernel), null, 1)}\n`);
      console.log(`recorded ${rec}`);
    }
  }
  return result.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof NamespaceUnavailableError ? `\nnat lab FAILED: ${e.message}` : e);
    process.exit(1);
  },
);
