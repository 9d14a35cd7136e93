import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { checkTopology } from '../../src/check.ts';
import { runCli } from '../../src/cli/runCli.ts';
import { compileSpin, runPan } from '../../src/node/spinRunner.ts';
import { parsePanOutput } from '../../src/reporting/panOutput.ts';
import { PROMELA_HOP_KINDS, PROMELA_PROPERTIES, toPromela, type PromelaOptions } from '../../src/reporting/promela.ts';
import { kbPresetNames, loadPreset } from '../../src/scenarios/presets.ts';
import { flowHop } from '../../src/system/flowHop.ts';
import { toTopology } from '../../src/scenarios/toTopology.ts';
import { kbHop, withGwlb, type Boundary, type EndpointSettings, type FlowHopSpec, type Topology } from '../../src/system/topology.ts';
import { kbTopology, type KbOverrides } from '../fixtures/kbTopology.ts';
import { firewallAcceptsNonSyn, keepaliveNeverFires } from '../fixtures/mutants.ts';
import type { MachineSet } from '../../src/system/components.ts';
import { incidentCases, kindCases, mutants, orderCases, pathCases, roundingCase, tickCases } from './promelaCases.ts';

/** Every timeout divided by this (rounded, at least 1 s), so SPIN's 1-s clock has few ticks to count. */
const DIVISOR = 25;
const down = (seconds: number): number => Math.max(1, Math.round(seconds / DIVISOR));

/**
 * An endpoint with its timers scaled down. The retransmission chain gets
 * whole-second steps so both checkers see the same numbers (1, 2, 4, 5, 5, …
 * s, 8 retries: 37 s in all, the real 924.6 s / 25).
 */
function endpointDown(e: EndpointSettings): EndpointSettings {
  return {
    ...e,
    keepalive: e.keepalive === 'off' ? 'off' : { ...e.keepalive, idle: down(e.keepalive.idle), interval: down(e.keepalive.interval) },
    idleClose: e.idleClose === 'never' ? 'never' : down(e.idleClose),
    rtoMin: 1,
    rtoMax: 5,
    retries2: 8,
    timeWait: down(e.timeWait),
    finTimeout: down(e.finTimeout),
    ...(e.userTimeout === undefined ? {} : { userTimeout: down(e.userTimeout) }),
  };
}

/** A preset's topology with every timeout scaled down together (order relations kept: 325 < 350 < 400 becomes 13 < 14 < 16). */
function scaledDown(t: Topology): Topology {
  const f = kbHop(t).appliances.firewall.timeouts;
  return {
    ...withGwlb(t, { gwlb: { idleTimeout: down(kbHop(t).gwlb.idleTimeout) }, appliances: {
      firewall: {
        ...kbHop(t).appliances.firewall,
        timeouts: { init: down(f.init), handshake: down(f.handshake), established: down(f.established), halfClosed: down(f.halfClosed), timeWait: down(f.timeWait) },
      },
    } }),
    client: endpointDown(t.client),
    server: endpointDown(t.server),
  };
}

function hasTool(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('toPromela (text)', () => {
  const model = toPromela(kbTopology());

  it('has the template sections, numbers from the topology and one assertion per property', () => {
    for (const section of ['Property selection', 'Sizes (from the topology)', 'Constants', 'State', 'Properties', 'TCP endpoint', 'Hops (src/reporting/promelaHops.ts', 'The crossing', 'Processes']) {
      expect(model).toContain(`/* ===================== ${section}`);
    }
    expect(model).toContain('#define H0_IDLE 350');
    expect(model).toContain('#define H0F_T_EST 3600');
    expect(model).toContain('#define IDLE_CLOSE(e)  (((e) % 2) == 0 -> -1 : 400)');
    expect(model).toMatch(/if\n {8}:: tgt0 = 0\n {8}:: tgt0 = 1\n {8}fi/);
    for (const p of PROMELA_PROPERTIES) expect(model).toContain(`assert(!${p.flag})`);
    expect(model).toContain('proctype Tick()');
  });

  it('lists every rounding to whole ticks (the 0.2 s RTO) and says time is discrete', () => {
    expect(model).toContain('Time is DISCRETE');
    expect(model).toContain('rto after 0 retransmissions: 0.2 s = 0.2 ticks, rounded to 1');
    expect(toPromela(kbTopology(), { ticksPerSecond: 5 })).not.toContain('rto after 0 retransmissions');
  });

  it('writes the selected property define', () => {
    expect(toPromela(kbTopology(), { property: 'no-mid-path-reset' })).toContain('#define CHECK_RESET\n#if !defined');
  });

  it('midpath export --promela <preset> prints the model; without --promela it is a usage error', async () => {
    let out = '';
    let err = '';
    const io = { out: (x: string) => (out += x), err: (x: string) => (err += x), env: {} };
    expect(await runCli(['export', '--promela', 'kb-16099-keepalive-325', '--property', 'no-mid-path-drop'], io)).toBe(0);
    expect(out).toContain('midpath kb-16099-keepalive-325');
    expect(out).toContain('#define KA_IDLE(e)     (((e) % 2) == 0 -> 325 : 0)');
    expect(out).toContain('#define CHECK_DROP\n');
    expect(await runCli(['export', 'kb-16099'], io)).toBe(2);
    expect(err).toContain('--promela');
  });

  it('parses pan reports', () => {
    const r = parsePanOutput(
      'pan:1: assertion violated  !(dropped_live) (at depth 10)\npan:2: assertion violated  !(half_open) (at depth 12)\nState-vector 124 byte, depth reached 70, errors: 2\n       90 states, stored\n       37 states, matched\n      127 transitions (= stored+matched)\n  128.730\ttotal actual memory usage\n',
    );
    expect(r).toMatchObject({ errors: 2, violated: ['no-mid-path-drop', 'no-half-open'], statesStored: 90, transitions: 127, depth: 70, complete: true, truncated: false, memoryMB: 128.73 });
    expect(parsePanOutput('error: max search depth too small\nerrors: 0\n')).toMatchObject({ complete: false, truncated: true });
    // an error that is not a property assertion is never silently counted as agreement
    expect(parsePanOutput('pan:1: invalid end state (at depth 7)\nerrors: 1\n')).toMatchObject({ violated: [], otherAssertions: ['invalid end state'] });
    expect(parsePanOutput('pan:1: assertion violated (len(q[0]) < QLEN) (at depth 9)\nerrors: 1\n')).toMatchObject({ violated: [], otherAssertions: ['(len(q[0]) < QLEN)'] });
    expect(parsePanOutput('pan:1: assertion violated  !(reset_live) (at depth 3)\nWarning: Search not completed\nerrors: 1\n')).toMatchObject({ complete: false, truncated: false, violated: ['no-mid-path-reset'] });
  });
});

/** A KB topology already at small whole-second values, for the boundary and appliance variants. */
function smallKb(o: KbOverrides, boundary: Boundary = 'open'): Topology {
  const t = kbTopology({ gwlbTimeout: 14, serverIdleClose: 16, fwTimeout: 144, ...o });
  const timers = { rtoMin: 1, rtoMax: 4, retries2: 4, timeWait: 2, finTimeout: 2 };
  const keepalive = o.clientKeepaliveIdle === undefined ? {} : { keepalive: { idle: o.clientKeepaliveIdle, interval: 3, probes: 3, preset: 'custom' as const } };
  const fw = kbHop(t).appliances.firewall;
  return {
    ...withGwlb(t, { gwlb: { boundary }, appliances: { firewall: { ...fw, timeouts: { ...fw.timeouts, init: 5, handshake: 3, halfClosed: 5, timeWait: 5 } } } }),
    client: { ...t.client, ...timers, ...keepalive },
    server: { ...t.server, ...timers },
  };
}

interface Case {
  readonly name: string;
  readonly topology: Topology;
  /** Export options (default: one tick per second). */
  readonly options?: PromelaOptions;
}

type NatHop = Extract<FlowHopSpec, { readonly type: 'nat-gateway' }>;

/**
 * A NAT gateway preset (src/models/natGatewayFlowMachine.ts) at small whole
 * seconds: mapping idle timeout `idle` (the product's fixed 350 s, set on the
 * parsed config directly, as a scale-down), endpoints scaled down, the
 * client's keepalive idle `kaIdle` when given.
 */
function smallNat(preset: string, idle: number, o: { readonly kaIdle?: number; readonly boundary?: Boundary; readonly outside?: 'reset' | 'drop'; readonly serverIdleClose?: number } = {}): Topology {
  const t = toTopology(loadPreset(preset));
  const h = t.path[0] as NatHop;
  expect(h.type).toBe('nat-gateway');
  const client = endpointDown(t.client);
  return {
    ...t,
    path: [{ ...h, config: { ...h.config, idleTimeout: idle, ...(o.boundary ? { boundary: o.boundary } : {}), ...(o.outside ? { lateSegmentFromOutside: o.outside } : {}) } }],
    client: o.kaIdle === undefined ? client : { ...client, keepalive: { idle: o.kaIdle, interval: 1, probes: 3, preset: 'custom' } },
    server: { ...endpointDown(t.server), ...(o.serverIdleClose === undefined ? {} : { idleClose: o.serverIdleClose }) },
  };
}

/**
 * A one-hop path of `hop` (its parsed config's idle timeout set to `idle`
 * directly, as a scale-down) between the endpoints of nat-gateway-python-pool
 * scaled down: no keepalive unless `kaIdle`, the server's idle close when
 * `serverIdleClose`.
 */
function smallFlow(hop: FlowHopSpec, idle: number, o: { readonly kaIdle?: number; readonly serverIdleClose?: number } = {}): Topology {
  const t = toTopology(loadPreset('nat-gateway-python-pool'));
  const client = endpointDown(t.client);
  return {
    ...t,
    name: `small-${hop.type}`,
    path: [{ ...hop, config: { ...hop.config, idleTimeout: idle } } as FlowHopSpec],
    client: o.kaIdle === undefined ? client : { ...client, keepalive: { idle: o.kaIdle, interval: 1, probes: 3, preset: 'custom' } },
    server: { ...endpointDown(t.server), ...(o.serverIdleClose === undefined ? {} : { idleClose: o.serverIdleClose }) },
  };
}

const azureNat = flowHop('azure-nat-gateway');
const anfw = flowHop('aws-network-firewall');
const gcp = (lateSegment?: string): FlowHopSpec => flowHop('gcp-firewall', lateSegment === undefined ? {} : { lateSegment });

/** The cases of the other single-timer kinds: Azure NAT gateway (RST to either sender), AWS Network Firewall (silent) and GCP firewall (silent; lateSegment pass or drop). */
const otherFlowCases: Case[] = [
  { name: 'azure-nat-gateway: idles past 14 s (reset to the client)', topology: smallFlow(azureNat, 14) },
  { name: 'azure-nat-gateway: keepalive idle 13 < 14 (holds)', topology: smallFlow(azureNat, 14, { kaIdle: 13 }) },
  { name: 'azure-nat-gateway: server closes at 16 s (reset to the server)', topology: smallFlow(azureNat, 14, { serverIdleClose: 16 }) },
  { name: 'aws-network-firewall: idles past 14 s, the client resumes (dropped silently)', topology: smallFlow(anfw, 14) },
  { name: 'aws-network-firewall: keepalive idle 13 < 14 (holds)', topology: smallFlow(anfw, 14, { kaIdle: 13 }) },
  { name: 'gcp-firewall: idles past 14 s, the client resumes (passed as new by default)', topology: smallFlow(gcp(), 14) },
  { name: 'gcp-firewall: server closes at 16 s (dropped by default)', topology: smallFlow(gcp(), 14, { serverIdleClose: 16 }) },
  { name: 'gcp-firewall: lateSegment drop, the client resumes (dropped)', topology: smallFlow(gcp('drop'), 14) },
  { name: 'gcp-firewall: lateSegment pass, server closes at 16 s (passed)', topology: smallFlow(gcp('pass'), 14, { serverIdleClose: 16 }) },
  { name: 'gcp-firewall: keepalive idle 13 < 14 (holds)', topology: smallFlow(gcp('drop'), 14, { kaIdle: 13 }) },
];

/** A standalone firewall hop (no GWLB) with the small KB's firewall, established timeout `fwTimeout`, keepalive idle `kaIdle` when given. */
function smallFirewall(o: { readonly loose?: boolean; readonly fwTimeout: number; readonly kaIdle?: number }, boundary: Boundary = 'open'): Topology {
  const kb = smallKb({ fwTimeout: o.fwTimeout, ...(o.loose ? { loose: true } : {}), ...(o.kaIdle === undefined ? {} : { clientKeepaliveIdle: o.kaIdle }) });
  return { ...kb, name: `small-firewall${o.loose ? '-loose' : ''}`, path: [{ kind: 'firewall', firewall: kbHop(kb).appliances.firewall, boundary }] };
}

/** Standalone firewall hops: PAN-OS with tcp-reject-non-syn drops the late segment, loose conntrack adopts it. */
const firewallCases: Case[] = [
  { name: 'pan-os standalone: session times out at 14 s, the server closes at 16 s (dropped)', topology: smallFirewall({ fwTimeout: 14 }) },
  { name: 'pan-os standalone: keepalive idle 13 < 14 (holds)', topology: smallFirewall({ fwTimeout: 14, kaIdle: 13 }) },
  { name: 'pan-os standalone: keepalive idle = 14, boundary closed', topology: smallFirewall({ fwTimeout: 14, kaIdle: 14 }, 'closed') },
  { name: 'conntrack-loose standalone: session times out at 14 s, the late FIN passes, no session', topology: smallFirewall({ fwTimeout: 14, loose: true }) },
];

/** The NAT gateway cases: both verdicts of no-mid-path-reset, both boundaries at keepalive idle = T, both lateSegmentFromOutside values. */
const natCases: Case[] = [
  { name: 'nat-gateway: pooled connection idles past 14 s (reset to the client)', topology: smallNat('nat-gateway-python-pool', 14) },
  { name: 'nat-gateway: keepalive idle 13 < 14 (holds)', topology: smallNat('nat-gateway-python-pool', 14, { kaIdle: 13 }) },
  { name: 'nat-gateway: keepalive idle = 14, boundary closed (the mapping is gone)', topology: smallNat('nat-gateway-python-pool', 14, { kaIdle: 14 }) },
  { name: 'nat-gateway: keepalive idle = 14, boundary open (the mapping still exists)', topology: smallNat('nat-gateway-python-pool', 14, { kaIdle: 14, boundary: 'open' }) },
  { name: 'nat-gateway: server closes at 16 s, lateSegmentFromOutside reset', topology: smallNat('nat-gateway-python-pool', 14, { serverIdleClose: 16 }) },
  { name: 'nat-gateway: server closes at 16 s, lateSegmentFromOutside drop', topology: smallNat('nat-gateway-python-pool', 14, { serverIdleClose: 16, outside: 'drop' }) },
];

const cases: Case[] = [
  ...kbPresetNames().map((name) => ({ name, topology: scaledDown(toTopology(loadPreset(name))) })),
  // Where discrete time could part from dense time: a keepalive probe exactly at the GWLB timeout.
  { name: 'keepalive idle = GWLB timeout, boundary open (the entry still exists)', topology: smallKb({ clientKeepaliveIdle: 14 }, 'open') },
  { name: 'keepalive idle = GWLB timeout, boundary closed (the entry is gone)', topology: smallKb({ clientKeepaliveIdle: 14 }, 'closed') },
  { name: 'conntrack-loose appliances adopt the mid-stream flow', topology: smallKb({ loose: true, fwTimeout: 200 }) },
];

interface Outcome {
  /** midpath's violated properties. */
  readonly expected: readonly string[];
  readonly midpathComplete: boolean;
  readonly pan: ReturnType<typeof parsePanOutput>;
  readonly output: string;
}

/** Every agreement case's outcome, by case name, filled by the describe blocks in order (the mutants' block, last, reads it). */
const allOutcomes = new Map<string, Outcome>();
const allCases = new Map<string, Case>();

/** Both searches complete, SPIN stored states and hit no other assertion, and it reports exactly midpath's violated properties. */
function expectSameVerdicts(o: Outcome): void {
  expect(o.midpathComplete).toBe(true);
  expect(o.pan.complete, o.output).toBe(true);
  expect(o.pan.truncated).toBe(false);
  expect(o.pan.otherAssertions, o.output).toEqual([]);
  expect(o.pan.statesStored).toBeGreaterThan(0);
  expect(o.pan.violated).toEqual(o.expected);
  expect(o.pan.errors > 0).toBe(o.expected.length > 0);
}

/** Runs `work` over `items` with at most `limit` at a time (gcc dominates; two cores). */
async function pool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!);
    }
  });
  await Promise.all(runners);
  return out;
}

it('finds spin and gcc (.ci/run installs them; this suite fails rather than skips without them)', () => {
  expect(hasTool('spin')).toBe(true);
  expect(hasTool('gcc')).toBe(true);
});

describe('SPIN agrees with midpath (KB presets with timeouts divided by 25, and boundary variants)', () => {
  const single = new Map<string, { errors: number; violated: readonly string[]; holds: boolean; output: string }>();
  const outcomes = agreementSuite('test', cases, async (dir) => {
    const kb = scaledDown(toTopology(loadPreset('kb-16099')));
    const kbVerdicts = new Map(checkTopology(kb, {}, { replay: false }).results.map((r) => [r.property, r.holds]));
    await pool(['CHECK_RESET', 'CHECK_DROP'] as const, 2, async (define) => {
      const id = PROMELA_PROPERTIES.find((p) => p.define === define)!.id;
      const work = await mkdtemp(join(dir, `kb-${define}-`));
      await compileSpin(toPromela(kb), work, { defines: [define], optimize: 'O0' });
      const { pan, output } = await runPan(work, { panArgs: [] });
      single.set(define, { errors: pan.errors, violated: pan.violated, holds: kbVerdicts.get(id) ?? false, output });
    });
  });

  it('the boundary variants and the presets cover both verdicts of no-mid-path-drop', () => {
    const drop = [...outcomes.values()].map((o) => o.expected.includes('no-mid-path-drop'));
    expect(drop).toContain(true);
    expect(drop).toContain(false);
  });

  it('checks one property per run with -DCHECK_…: kb-16099 violates no-mid-path-drop but not no-mid-path-reset', () => {
    const reset = single.get('CHECK_RESET')!;
    const drop = single.get('CHECK_DROP')!;
    expect(reset.holds).toBe(true);
    expect(reset.errors, reset.output).toBe(0);
    expect(drop.holds).toBe(false);
    expect(drop.errors, drop.output).toBe(1);
    expect(drop.violated).toEqual(['no-mid-path-drop']);
  });
});

/** Compiles and runs each case's model with SPIN beside midpath's explorer, at most two at a time. */
async function agreement(list: readonly Case[], dir: string, outcomes: Map<string, Outcome>): Promise<void> {
  await pool(list, 2, async (c) => {
    const midpath = checkTopology(c.topology, {}, { replay: false });
    const { pan, output } = await spin(toPromela(c.topology, c.options), dir);
    const o = { expected: midpath.results.filter((r) => !r.holds).map((r) => r.property), midpathComplete: midpath.complete, pan, output };
    outcomes.set(c.name, o);
    allOutcomes.set(c.name, o);
    allCases.set(c.name, c);
  });
}

/** Compiles a model (gcc -O0) and runs pan with -c0 (every error counted) in a fresh folder under `dir`. */
async function spin(model: string, dir: string): Promise<{ pan: ReturnType<typeof parsePanOutput>; output: string }> {
  const work = await mkdtemp(join(dir, 'case-'));
  await compileSpin(model, work, { optimize: 'O0' });
  return runPan(work, { panArgs: ['-c0'] });
}

/**
 * Registers, in the current describe block, the SPIN agreement runs of `list` (then `extra`,
 * in the same temporary folder), one agreement test per case and the folder's removal;
 * returns the outcomes by case name (filled before the tests run).
 */
function agreementSuite(prefix: string, list: readonly Case[], extra?: (dir: string) => Promise<void>): Map<string, Outcome> {
  const outcomes = new Map<string, Outcome>();
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), `midpath-promela-${prefix}-`));
    await agreement(list, dir, outcomes);
    if (extra) await extra(dir);
  }, 900_000);
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  for (const c of list) {
    it(`${c.name}: the same verdict for every property`, () => {
      expectSameVerdicts(outcomes.get(c.name)!);
    });
  }
  return outcomes;
}

describe('SPIN agrees with midpath on one-hop paths of the other covered kinds (timeouts scaled down)', () => {
  const outcomes = agreementSuite('hops', [...natCases, ...otherFlowCases, ...firewallCases]);

  it('the NAT gateway cases cover both verdicts of no-mid-path-reset and of no-mid-path-drop', () => {
    const nat = natCases.map((c) => outcomes.get(c.name)!.expected);
    expect(nat.map((e) => e.includes('no-mid-path-reset'))).toContain(true);
    expect(nat.map((e) => e.includes('no-mid-path-reset'))).toContain(false);
    expect(nat.map((e) => e.includes('no-mid-path-drop'))).toContain(true);
    expect(nat.map((e) => e.includes('no-mid-path-drop'))).toContain(false);
  });

  it('the Azure NAT gateway, AWS Network Firewall and GCP firewall cases cover both verdicts of the property each kind can break', () => {
    const of = (kind: string, p: string): boolean[] => otherFlowCases.filter((c) => c.name.startsWith(kind)).map((c) => outcomes.get(c.name)!.expected.includes(p));
    expect(of('azure-nat-gateway', 'no-mid-path-reset')).toEqual([true, false, true]);
    expect(of('gcp-firewall', 'no-mid-path-drop')).toContain(true);
    expect(of('gcp-firewall', 'no-mid-path-drop')).toContain(false);
    expect(of('gcp-firewall', 'no-mid-path-reset')).not.toContain(true);
    expect(of('aws-network-firewall', 'no-mid-path-drop')).toEqual([true, false]);
  });

  it('the standalone firewall cases cover both verdicts of no-mid-path-drop', () => {
    const drop = firewallCases.map((c) => outcomes.get(c.name)!.expected.includes('no-mid-path-drop'));
    expect(drop[0]).toBe(true);
    expect(drop[1]).toBe(false);
  });
});

describe('SPIN agrees with midpath on every hop kind of issue 12, on multi-hop paths and on the incident presets (small whole-second timeouts)', () => {
  const outcomes = agreementSuite('paths', [...kindCases, ...pathCases, ...incidentCases]);

  it('every new kind has a breaking and a holding case, each of its breaking property', () => {
    const verdicts = (prefix: string, p: string): boolean[] => kindCases.filter((c) => c.name.startsWith(prefix)).map((c) => outcomes.get(c.name)!.expected.includes(p));
    for (const [kind, p] of [
      ['nlb', 'no-mid-path-reset'],
      ['eni-conntrack', 'no-mid-path-drop'],
      ['azure-lb', 'no-mid-path-reset'],
      ['azure-lb', 'no-mid-path-drop'],
      ['gcp-cloud-nat', 'no-mid-path-drop'],
      ['gcp-cloud-nat', 'no-mid-path-reset'],
      ['linux-conntrack', 'no-mid-path-drop'],
    ] as const) {
      expect(verdicts(kind, p), `${kind} ${p}`).toContain(true);
      expect(verdicts(kind, p), `${kind} ${p}`).toContain(false);
    }
  });

  it('the multi-hop paths have 2 and 3 hops, and both verdicts of no-mid-path-drop and no-mid-path-reset', () => {
    expect(new Set(pathCases.map((c) => c.topology.path.length))).toEqual(new Set([2, 3]));
    for (const p of ['no-mid-path-drop', 'no-mid-path-reset']) {
      const v = pathCases.map((c) => outcomes.get(c.name)!.expected.includes(p));
      expect(v, p).toContain(true);
      expect(v, p).toContain(false);
    }
  });

  it('every property is both violated and holding somewhere among these cases (no flag of the model is stuck)', () => {
    const all = [...kindCases, ...pathCases, ...incidentCases].map((c) => outcomes.get(c.name)!.pan.violated);
    for (const p of PROMELA_PROPERTIES.map((q) => q.id)) {
      expect(all.some((v) => v.includes(p)), `${p} violated somewhere`).toBe(true);
      expect(all.some((v) => !v.includes(p)), `${p} holds somewhere`).toBe(true);
    }
  });
});

describe('SPIN agrees with midpath on the order of the crossing and at 10 ticks per second (sub-second constants), and the export notes its rounding', () => {
  let rounded: { coarse: string; fine: string; coarseRun: Awaited<ReturnType<typeof spin>>; fineRun: Awaited<ReturnType<typeof spin>>; exact: readonly string[]; asRounded: readonly string[] } | undefined;
  const outcomes = agreementSuite('ticks', [...orderCases, ...tickCases], async (dir) => {
    const violated = (t: Topology): readonly string[] => checkTopology(t, {}, { replay: false }).results.filter((r) => !r.holds).map((r) => r.property);
    const coarse = toPromela(roundingCase.exact, roundingCase.coarse);
    const fine = toPromela(roundingCase.exact, roundingCase.fine);
    const [coarseRun, fineRun] = await pool([coarse, fine], 2, (m) => spin(m, dir));
    rounded = { coarse, fine, coarseRun: coarseRun!, fineRun: fineRun!, exact: violated(roundingCase.exact), asRounded: violated(roundingCase.asRounded) };
  });

  it('the order case violates both no-mid-path-drop (the FIN at the firewall) and no-mid-path-reset (the client at the NLB)', () => {
    expect(outcomes.get(orderCases[0]!.name)!.expected).toEqual(expect.arrayContaining(['no-mid-path-drop', 'no-mid-path-reset']));
  });

  it('the 10-ticks/s cases are exported at 10 ticks per second with no rounding, and cover both verdicts of no-mid-path-reset', () => {
    for (const c of tickCases) {
      const model = toPromela(c.topology, c.options);
      expect(model, c.name).toContain('one tick = 0.1 s');
      expect(model, c.name).toContain('Every constant is a whole number of ticks (no rounding).');
    }
    expect(toPromela(tickCases[0]!.topology, tickCases[0]!.options)).toContain('#define H0_IDLE 14');
    const reset = tickCases.map((c) => outcomes.get(c.name)!.expected.includes('no-mid-path-reset'));
    expect(reset).toContain(true);
    expect(reset).toContain(false);
  });

  it('a rounding the export notes is what SPIN checks: keepalive idle 1.35 s at 10 ticks/s is 14 ticks, so SPIN answers for 1.4 s; at 20 ticks/s nothing is rounded and it agrees', () => {
    const r = rounded!;
    expect(r.coarse).toContain(`Constants rounded to whole ticks:\n *   ${roundingCase.note}`);
    expect(r.coarse).toContain('#define KA_IDLE(e)     (((e) % 2) == 0 -> 14 : 0)');
    expect(r.fine).toContain('Every constant is a whole number of ticks (no rounding).');
    expect(r.fine).toContain('#define KA_IDLE(e)     (((e) % 2) == 0 -> 27 : 0)');
    // midpath's verdicts differ between the exact and the rounded constant (else this case would show nothing)
    expect(r.exact).not.toContain('no-mid-path-reset');
    expect(r.asRounded).toContain('no-mid-path-reset');
    for (const run of [r.coarseRun, r.fineRun]) {
      expect(run.pan.complete, run.output).toBe(true);
      expect(run.pan.otherAssertions, run.output).toEqual([]);
    }
    expect(r.coarseRun.pan.violated).toEqual(r.asRounded);
    expect(r.fineRun.pan.violated).toEqual(r.exact);
  });
});

/** The result of one mutated model. */
interface MutantRun {
  readonly violated: readonly string[];
  readonly complete: boolean;
  readonly otherAssertions: readonly string[];
  readonly output: string;
}

describe('mutants of the Promela rendering (one per hop kind, one of the crossing) are caught, in the expected direction', () => {
  let dir = '';
  const runs = new Map<string, MutantRun>();
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'midpath-promela-mutants-'));
    await pool(mutants, 2, async (m) => {
      const c = allCases.get(m.caseName);
      if (!c) return; // reported by the test below
      const model = toPromela(c.topology, c.options);
      const mutated = model.split(m.from).join(m.to);
      if (mutated === model) return; // reported by the test below
      const { pan, output } = await spin(mutated, dir);
      runs.set(`${m.kind}: ${m.what}`, { violated: pan.violated, complete: pan.complete, otherAssertions: pan.otherAssertions, output });
    });
  }, 900_000);
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('every hop kind of the export has a mutant, and so has the crossing', () => {
    expect(new Set(mutants.map((m) => m.kind))).toEqual(new Set([...PROMELA_HOP_KINDS, 'crossing']));
  });

  for (const m of mutants) {
    it(`a mutant of the ${m.kind} rendering that ${m.what} is caught: SPIN's verdicts then differ from midpath's, in the expected direction`, () => {
      const c = allCases.get(m.caseName);
      expect(c, `mutant ${m.kind}: case ${m.caseName} exists`).toBeDefined();
      expect(toPromela(c!.topology, c!.options), `mutant ${m.kind}: the text to change is in the model`).toContain(m.from);
      const r = runs.get(`${m.kind}: ${m.what}`)!;
      const o = allOutcomes.get(m.caseName)!;
      // a finished search whose property verdicts differ, not a model broken some other way (a full queue, another assertion)
      expect(r.complete, r.output).toBe(true);
      expect(r.otherAssertions, r.output).toEqual([]);
      expect(o.pan.violated).toEqual(o.expected);
      expect(r.violated).not.toEqual(o.expected);
      expect(m.becomesViolated.length + m.becomesHolding.length).toBeGreaterThan(0);
      for (const p of m.becomesViolated) {
        expect(o.expected, `${p} holds in midpath`).not.toContain(p);
        expect(r.violated, `${p} violated in the mutant`).toContain(p);
      }
      for (const p of m.becomesHolding) {
        expect(o.expected, `${p} violated in midpath`).toContain(p);
        expect(r.violated, `${p} holds in the mutant`).not.toContain(p);
      }
    });
  }
});

describe('midpath-side mutants (test/fixtures/mutants.ts) disagree with SPIN: the agreement test would catch a bug of midpath too', () => {
  const midpathMutants: readonly { readonly name: string; readonly machines: MachineSet; readonly caseName: string; readonly property: string }[] = [
    { name: 'keepaliveNeverFires', machines: keepaliveNeverFires, caseName: 'nat-gateway: keepalive idle 13 < 14 (holds)', property: 'no-mid-path-reset' },
    { name: 'firewallAcceptsNonSyn', machines: firewallAcceptsNonSyn, caseName: 'pan-os standalone: session times out at 14 s, the server closes at 16 s (dropped)', property: 'no-mid-path-drop' },
  ];
  for (const m of midpathMutants) {
    it(`${m.name} on "${m.caseName}": midpath's verdict on ${m.property} changes, SPIN's (the unmutated model) does not`, () => {
      const c = allCases.get(m.caseName)!;
      const o = allOutcomes.get(m.caseName)!;
      expect(o.pan.violated).toEqual(o.expected);
      const mutated = checkTopology(c.topology, {}, { replay: false, machines: m.machines });
      expect(mutated.complete).toBe(true);
      const violated = mutated.results.filter((r) => !r.holds).map((r) => r.property);
      expect(violated.includes(m.property)).toBe(!o.expected.includes(m.property));
      expect(violated).not.toEqual(o.pan.violated);
    });
  }
});

describe('the CLI refuses a hop kind without a rendering (exit 2, naming path[i].type)', () => {
  it('with the NLB rendering removed, export --promela of an NLB preset exits 2 and names path[0].type (not an internal error)', async () => {
    vi.resetModules();
    vi.doMock('../../src/reporting/promelaHops.ts', async (importOriginal) => {
      const real = await importOriginal<typeof import('../../src/reporting/promelaHops.ts')>();
      const { nlb: _nlb, ...rest } = real.PROMELA_RENDERERS;
      return { ...real, PROMELA_RENDERERS: rest };
    });
    try {
      const cli = await import('../../src/cli/runCli.ts');
      let out = '';
      let err = '';
      const code = await cli.runCli(['export', '--promela', 'nlb-grpc-no-keepalive'], { out: (x: string) => (out += x), err: (x: string) => (err += x), env: {} });
      expect(code).toBe(2);
      expect(out).toBe('');
      expect(err).toContain('path[0].type: nlb is not covered; the Promela export renders the hop types gwlb, pan-os, conntrack-loose, nat-gateway, eni-conntrack');
      expect(err).not.toMatch(/\n\s+at /); // no stack trace
    } finally {
      vi.doUnmock('../../src/reporting/promelaHops.ts');
      vi.resetModules();
    }
  });
});
