/**
 * `npx tsx lab/natRun.ts` (root): the NAT-hop conformance lab. Runs every
 * scenario of natScenarios.ts (MIDPATH_LAB_NAT=name,name for a subset) on a
 * real Linux conntrack NAT and on the `linux-conntrack` machine, prints the
 * agreement table and writes `lab/out/nat-results.json` beside the captures.
 * MIDPATH_LAB_CONCURRENCY: parallel runs (default 4).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cleanup } from './cleanup.ts';
import { formatNatTable, runNatLab } from './natLab.ts';
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
  return result.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof NamespaceUnavailableError ? `\nnat lab FAILED: ${e.message}` : e);
    process.exit(1);
  },
);
