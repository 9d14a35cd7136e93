import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/runCli.ts';
import { PROMELA_HOP_KINDS, PromelaCoverageError, promelaRefusal, toPromela } from '../../src/reporting/promela.ts';
import { loadPreset } from '../../src/scenarios/presets.ts';
import { toTopology } from '../../src/scenarios/toTopology.ts';
import { kbTopology } from '../fixtures/kbTopology.ts';

/*
 * Which paths the Promela export covers, and the refusal of the others (no
 * SPIN needed: the agreement with SPIN is test/reporting/promela.test.ts).
 */

async function cli(args: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (t) => (out += t), err: (t) => (err += t), env: {}, tty: { out: false, err: false } });
  return { code, out, err };
}

describe('Promela export coverage', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'midpath-promela-cov-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('covers the KB path (one GWLB hop)', () => {
    expect(promelaRefusal(kbTopology())).toBeUndefined();
    expect(toPromela(kbTopology())).toContain('proctype Tick()');
  });

  it('covers a path of one NAT gateway hop', () => {
    const t = toTopology(loadPreset('nat-gateway-python-pool'));
    expect(promelaRefusal(t)).toBeUndefined();
    expect(toPromela(t)).toContain('AWS NAT gateway entries: one per connection');
  });

  it('refuses an NLB path in the library, naming path[0].type and the covered kinds', () => {
    const t = toTopology(loadPreset('nlb-grpc-no-keepalive'));
    const why = promelaRefusal(t);
    expect(PROMELA_HOP_KINDS).toEqual(['gwlb', 'pan-os', 'conntrack-loose', 'nat-gateway', 'azure-nat-gateway', 'aws-network-firewall', 'gcp-firewall']);
    expect(why).toBe('path[0].type: nlb is not covered; the Promela export covers a path of exactly one hop, of one of the types gwlb, pan-os, conntrack-loose, nat-gateway, azure-nat-gateway, aws-network-firewall, gcp-firewall');
    expect(() => toPromela(t)).toThrow(PromelaCoverageError);
  });

  it('exits 2 (not 70) for an uncovered preset, with the field and the covered kinds on one line and nothing on stdout', async () => {
    const r = await cli(['export', '--promela', 'nlb-grpc-no-keepalive']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe('midpath: export --promela nlb-grpc-no-keepalive: path[0].type: nlb is not covered; the Promela export covers a path of exactly one hop, of one of the types gwlb, pan-os, conntrack-loose, nat-gateway, azure-nat-gateway, aws-network-firewall, gcp-firewall\n');
  });

  it('names the first uncovered hop of a longer path (path[1].type)', async () => {
    const file = join(dir, 'gwlb-then-nlb.yaml');
    await writeFile(
      file,
      [
        'name: gwlb-then-nlb',
        'connections: 1',
        'client: { keepalive: off, idleClose: never }',
        'server: { keepalive: off, idleClose: 400 }',
        'path:',
        '  - type: gwlb',
        '    appliances: { count: 2, type: pan-os }',
        '  - type: nlb',
        '',
      ].join('\n'),
    );
    const r = await cli(['export', '--promela', file]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('path[1].type: nlb is not covered');
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('export --help names the covered kinds', async () => {
    const r = await cli(['export', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`exactly one hop of type ${PROMELA_HOP_KINDS.join(', ')};`);
  });

  it('refuses two covered hops in a row (the model has one hop)', () => {
    const kb = kbTopology();
    const twice = { ...kb, path: [kb.path[0]!, kb.path[0]!] };
    expect(promelaRefusal(twice)).toMatch(/^path: 2 hops \(gwlb, gwlb\) are not covered; /);
  });
});
