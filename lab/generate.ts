/**
 * fast-check-generated lab scenarios: random (already scaled) GWLB
 * timeouts, appliance kinds and timeouts, keepalive, server idle close,
 * client requests and re-pin choices. Candidates whose outcome would hinge
 * on a race closer than {@link BOUNDARY_MARGIN} seconds between a segment
 * and an idle timer (the model's boundary semantics against kernel timer
 * granularity) are rejected, so every generated run has one clear expected
 * behaviour.
 */
import fc from 'fast-check';
import { defaultEnvironment, gwlbTopology, kbHop, type EndpointSettings, type Topology } from '../src/system/topology.ts';
import { LAB_RETRIES2, LINUX_RTO_MIN, linuxAbortBound, type ChoicePolicy, type LabAction, type LabScenario } from './labScenario.ts';
import { runModel } from './modelRun.ts';
import { tlpAbortOffset } from './compare.ts';

/** Minimum distance (s) between a segment and an idle timer expiring on the path it crosses. */
export const BOUNDARY_MARGIN = 0.35;

interface Params {
  readonly gwlbTimeout: number;
  readonly serverIdle: number | null;
  readonly keepalive: { readonly idle: number; readonly interval: number; readonly probes: number } | null;
  readonly loose: boolean;
  readonly fwEstablished: number;
  readonly repin: 0 | 1;
  readonly numgen: boolean;
  readonly sends: readonly number[];
  readonly closeAt: number | null;
}

const tenth = (lo: number, hi: number): fc.Arbitrary<number> => fc.integer({ min: Math.round(lo * 10), max: Math.round(hi * 10) }).map((n) => n / 10);

const paramsArb: fc.Arbitrary<Params> = fc.record({
  gwlbTimeout: fc.integer({ min: 3, max: 10 }),
  serverIdle: fc.option(tenth(2, 14), { nil: null }),
  keepalive: fc.option(fc.record({ idle: fc.integer({ min: 2, max: 9 }), interval: fc.integer({ min: 1, max: 3 }), probes: fc.integer({ min: 1, max: 3 }) }), { nil: null }),
  loose: fc.boolean(),
  fwEstablished: fc.integer({ min: 4, max: 30 }),
  repin: fc.constantFrom<0 | 1>(0, 1),
  numgen: fc.boolean(),
  sends: fc.uniqueArray(tenth(0.3, 16), { minLength: 1, maxLength: 3 }),
  closeAt: fc.option(tenth(1, 18), { nil: null }),
});

function endpoint(p: Params, role: 'client' | 'server'): EndpointSettings {
  return {
    keepalive: role === 'client' && p.keepalive !== null ? { ...p.keepalive, preset: 'custom' } : 'off',
    idleClose: role === 'server' && p.serverIdle !== null ? p.serverIdle : 'never',
    closeOnPeerFin: true,
    retries2: LAB_RETRIES2,
    rtoMin: LINUX_RTO_MIN,
    rtoMax: 120,
    timeWait: 60,
    finTimeout: 60,
  };
}

function scenarioOf(p: Params, seed: number, index: number): LabScenario {
  const topology: Topology = gwlbTopology({
    name: `generated-${seed}-${index}`,
    connections: 1,
    client: endpoint(p, 'client'),
    server: endpoint(p, 'server'),
    gwlb: { idleTimeout: p.gwlbTimeout, stickiness: '5-tuple', unknownNonSyn: 'forward', resetOnIdleTimeout: false, boundary: 'open' },
    appliances: {
      count: 2,
      firewall: p.loose
        ? { kind: 'conntrack-loose', rejectNonSyn: false, timeouts: { init: 5, handshake: 3, established: p.fwEstablished, halfClosed: 5, timeWait: 5 } }
        : { kind: 'pan-os', rejectNonSyn: true, timeouts: { init: 1, handshake: 1, established: p.fwEstablished, halfClosed: 5, timeWait: 1 } },
      boundary: 'open',
    },
    environment: defaultEnvironment,
  });
  const schedule: LabAction[] = [{ t: 0, action: 'connect' }, ...[...p.sends].sort((a, b) => a - b).map((t) => ({ t, action: 'send' as const }))];
  if (p.closeAt !== null) schedule.push({ t: p.closeAt, action: 'close' });
  schedule.sort((a, b) => a.t - b.t);
  const last = schedule[schedule.length - 1]!.t;
  const ka = p.keepalive === null ? 0 : p.keepalive.idle + p.keepalive.probes * p.keepalive.interval;
  const horizon = Math.min(40, Math.round((Math.max(last, p.serverIdle ?? 0) + Math.max(ka, linuxAbortBound(LAB_RETRIES2)) + 2) * 10) / 10);
  const choice: ChoicePolicy = p.numgen ? { mode: 'numgen' } : { mode: 'forced', repin: p.repin };
  return { name: `gen-${seed}-${index}${p.numgen ? '/numgen' : `/repin-${p.repin}`}`, origin: `generated (seed ${seed}, #${index})`, scale: 1, topology, schedule, choice, horizon };
}

/**
 * Rejects a scenario if, on the model, a segment crosses a middlebox within
 * {@link BOUNDARY_MARGIN} of that middlebox's idle timer expiring, or an
 * application action falls near an endpoint's retransmission abort: from
 * 0.5 s before the model's abort to 1 s after Linux's later one (the model
 * abort plus compare.ts `tlpAbortOffset`, taken with TLP on whatever
 * MIDPATH_LAB_TLP says, so a seed always gives the same scenarios), where
 * only the real endpoint would still be alive (`after-model-abort`).
 */
export function boundaryClean(sc: LabScenario): boolean {
  const obs = runModel(sc, (_c, seg) => (seg.kind === 'syn' ? 0 : 1));
  const times = obs.segments.map((s) => s.t);
  const T = kbHop(sc.topology).gwlb.idleTimeout;
  for (let i = 1; i < times.length; i++) if (Math.abs(times[i]! - times[i - 1]! - T) < BOUNDARY_MARGIN) return false;
  const fw = Object.values(kbHop(sc.topology).appliances.firewall.timeouts);
  for (const k of [0, 1] as const) {
    const at = obs.segments.filter((s) => s.appliance === k).map((s) => s.t);
    for (let i = 1; i < at.length; i++) if (fw.some((to) => Math.abs(at[i]! - at[i - 1]! - to) < BOUNDARY_MARGIN)) return false;
  }
  const delay = tlpAbortOffset(LAB_RETRIES2, LINUX_RTO_MIN, true);
  for (const e of [obs.client, obs.server]) {
    if (e.outcome !== 'timeout' || e.at === null) continue;
    const at = e.at;
    if (sc.schedule.some((a) => a.t >= at - 0.5 && a.t <= at + delay + 1)) return false;
    if (at + delay + 1 > sc.horizon) return false;
  }
  return sc.schedule.every((a, i) => i === 0 || a.t - sc.schedule[i - 1]!.t >= BOUNDARY_MARGIN);
}

/** `count` boundary-clean generated scenarios from `seed` (deterministic). */
export function generateScenarios(seed: number, count: number): LabScenario[] {
  const out: LabScenario[] = [];
  let tries = 0;
  const candidates = fc.sample(paramsArb, { seed, numRuns: Math.max(50, count * 20) });
  for (const p of candidates) {
    if (out.length >= count) break;
    tries++;
    const sc = scenarioOf(p, seed, out.length);
    if (boundaryClean(sc)) out.push(sc);
  }
  if (out.length < count) throw new Error(`lab generator: only ${out.length} of ${count} boundary-clean scenarios in ${tries} candidates (seed ${seed})`);
  return out;
}
