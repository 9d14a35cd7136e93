import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/runCli.ts';
import { HOP_KINDS } from '../../src/models/hopKinds.ts';
import { PROMELA_HOP_KINDS, PROMELA_RENDERERS, PromelaCoverageError, hopType, promelaRefusal, toPromela } from '../../src/reporting/promela.ts';
import type { PromelaRenderers } from '../../src/reporting/promelaHops.ts';
import { loadPreset, presetNames } from '../../src/scenarios/presets.ts';
import { flowHop } from '../../src/system/flowHop.ts';
import type { HopSpec } from '../../src/system/topology.ts';
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
    expect(toPromela(t)).toContain('hop 0: AWS NAT gateway entries, one per connection');
  });

  it('renders every hop kind of the registry (PROMELA_HOP_KINDS is the renderers\' keys, in registry order)', () => {
    expect(PROMELA_HOP_KINDS).toEqual(Object.keys(HOP_KINDS));
    for (const k of PROMELA_HOP_KINDS) expect(typeof PROMELA_RENDERERS[k], k).toBe('function');
  });

  // Checked by `npm run typecheck` (tsconfig.json includes test/), not at run time: the @ts-expect-error
  // below is itself a type error once PromelaRenderers stops requiring every registry kind.
  it('a renderer table without a registry kind fails typecheck (checked by npm run typecheck, which includes test/; nothing to assert at run time)', () => {
    const { 'linux-conntrack': _dropped, ...rest } = PROMELA_RENDERERS;
    // @ts-expect-error linux-conntrack is missing: PromelaRenderers has a key for every registry kind
    const partial: PromelaRenderers = rest;
    void partial;
  });

  it('a kind without a rendering is refused naming path[i].type (a PromelaCoverageError, not a plain Error), in the library', () => {
    const { nlb: _nlb, ...withoutNlb } = PROMELA_RENDERERS;
    const t = toTopology(loadPreset('nlb-grpc-no-keepalive'));
    expect(hopType(t.path[0]!)).toBe('nlb');
    const refusal = promelaRefusal(t, withoutNlb);
    expect(refusal).toBe(`path[0].type: nlb is not covered; the Promela export renders the hop types ${PROMELA_HOP_KINDS.filter((k) => k !== 'nlb').join(', ')}`);
    expect(() => toPromela(t, { renderers: withoutNlb })).toThrow(PromelaCoverageError);
    expect(() => toPromela(t, { renderers: withoutNlb })).toThrow(`toPromela: ${t.name}: ${refusal}`);
    expect(promelaRefusal(t)).toBeUndefined();
  });

  it('covers every bundled preset (no refusal; each model names its path)', () => {
    for (const name of presetNames()) {
      const t = toTopology(loadPreset(name));
      expect(promelaRefusal(t), name).toBeUndefined();
      expect(toPromela(t)).toContain(`Path (client side first): ${t.path.map(hopType).join(' -> ')}.`);
    }
  });

  it('covers a path of several hops in order, each hop with its own rendering, crossed in both directions', () => {
    const kb = kbTopology();
    const t = { ...kb, path: [kb.path[0]!, flowHop('nat-gateway'), flowHop('nlb'), flowHop('linux-conntrack')] };
    expect(promelaRefusal(t)).toBeUndefined();
    const model = toPromela(t);
    expect(toPromela(t)).toBe(model); // same input, same bytes
    expect(model).toContain('#define NH 4');
    for (const i of [0, 1, 2, 3]) expect(model).toContain(`inline h${i}_in()`);
    // client to server: hop 0 first; server to client: hop 3 first
    expect(model).toMatch(/:: x == 0 -> {3}\/\* client to server \*\/\n {5}h0_in\(\);\n {5}if :: fate == F_PASS -> h1_in\(\)/);
    expect(model).toMatch(/:: else -> {5}\/\* server to client \*\/\n {5}h3_in\(\);\n {5}if :: fate == F_PASS -> h2_in\(\)/);
  });

  it('exits 0 for an NLB preset and for a path of two hops written in a file', async () => {
    const r = await cli(['export', '--promela', 'nlb-grpc-no-keepalive']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('AWS NLB (src/models/nlbFlowMachine.ts');
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
    const two = await cli(['export', '--promela', file]);
    expect(two.code).toBe(0);
    expect(two.err).toBe('');
    expect(two.out).toContain('Path (client side first): gwlb -> nlb.');
  });

  it('export --help names the covered kinds and says any path is covered', async () => {
    const r = await cli(['export', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`of every hop type\n(${PROMELA_HOP_KINDS.join(', ')});`);
  });

  it('renders an azure-lb with tcpReset at every boundary; closed fires from the Timers process and expires before a segment of its instant', async () => {
    const file = join(dir, 'azure-reset.yaml');
    const lines = (boundary: string): string =>
      ['name: azure-reset', 'connections: 1', 'client: { keepalive: off, idleClose: never }', 'server: { keepalive: off, idleClose: never }', 'path:', '  - type: nat-gateway', '  - type: azure-lb', '    tcpReset: true', `    boundary: ${boundary}`, ''].join('\n');
    for (const b of ['open', 'closed', 'ambiguous']) {
      await writeFile(file, lines(b));
      const r = await cli(['export', '--promela', file]);
      expect(r.code, r.err).toBe(0);
      expect(r.out).toContain('inline deliver_pending()');
      expect(r.out.includes('if :: t_h1[c] == 0 -> h1_expire(c) :: else -> skip fi;'), b).toBe(b === 'closed');
      expect(r.out.includes(':: d_step { t_h1[0] == 0 -> h1_expire(0); deliver_pending(); check_state() }'), b).toBe(b !== 'open');
    }
  });

  it('refuses a hop type without a rendering, naming path[i].type (exit 2 from the CLI, tested here in the library)', () => {
    const kb = kbTopology();
    const unknown = { ...kb, path: [kb.path[0]!, { kind: 'flow', type: 'f5-big-ip', config: {} } as unknown as HopSpec] };
    expect(promelaRefusal(unknown)).toBe(`path[1].type: f5-big-ip is not covered; the Promela export renders the hop types ${PROMELA_HOP_KINDS.join(', ')}`);
    expect(() => toPromela(unknown)).toThrow(PromelaCoverageError);
  });
});
