/**
 * fast-check arbitraries for midpath: topologies across the real parameter
 * ranges (domain-facts §1.1 GWLB 60..6000 s, §1.3 stickiness, §1.2 RST
 * options, §3 / §2 appliance kinds, §4 keepalive presets) and traffic for the
 * concrete simulator, with idle gaps biased toward just below, at and just
 * above every timeout of the topology (where the boundary semantics of
 * domain-facts §10 matter). Exported so users can fuzz their own properties:
 *
 * ```ts
 * fc.assert(fc.property(topologyArb(), (t) => checkTopology(t, {}, { maxStates: 20_000 }).complete || true));
 * ```
 *
 * Exploration cost: `retries2` defaults to 1..3 (the theorem does not depend
 * on it, and each retransmission adds states), and each extra connection
 * multiplies the state space (a violated 2-connection scenario can pass
 * 60 000 states), so {@link topologyArb} biases toward one connection. Cap
 * explorations with `maxStates` and count an `incomplete` result as skipped,
 * never as a pass.
 */
import fc from 'fast-check';
import { keepalivePresets, type ResolvedKeepalive } from '../models/tcpEndpointConfig.ts';
import type { FirewallConfig, FirewallKind } from '../models/firewallConfig.ts';
import type { GwlbStickiness } from '../models/gwlbConfig.ts';
import type { Segment } from '../models/segment.ts';
import type { AppEventType } from '../system/components.ts';
import type { ScheduledAction, TargetChooser } from '../system/simulator.ts';
import { flowHop } from '../system/flowHop.ts';
import { defaultEnvironment, endpointSettings, gwlbTopology, kbHop, withGwlb, type Boundary, type EndpointSettings, type HopSpec, type Topology } from '../system/topology.ts';

/** An inclusive integer range. */
export interface Range {
  readonly min: number;
  readonly max: number;
}

/** GWLB `tcp.idle_timeout.seconds` (domain-facts §1.1), biased toward the 350 s default and short values. */
export function gwlbTimeoutArb(range: Range = { min: 60, max: 6000 }): fc.Arbitrary<number> {
  const small = { min: range.min, max: Math.min(range.max, 900) };
  const picks = [
    { arbitrary: fc.integer(range), weight: 2 },
    { arbitrary: fc.integer(small), weight: 2 },
  ];
  if (range.min <= 350 && range.max >= 350) picks.push({ arbitrary: fc.constant(350), weight: 1 });
  return fc.oneof(...picks);
}

/** Number of appliances behind the GWLB, default 1..8, biased toward 2. */
export function applianceCountArb(range: Range = { min: 1, max: 8 }): fc.Arbitrary<number> {
  const two = range.min <= 2 && range.max >= 2 ? [{ arbitrary: fc.constant(2), weight: 2 }] : [];
  return fc.oneof({ arbitrary: fc.integer(range), weight: 3 }, ...two);
}

/** Number of connections, default 1..3, biased toward 1 (several connections are expensive to explore). */
export function connectionCountArb(range: Range = { min: 1, max: 3 }): fc.Arbitrary<number> {
  const one = range.min <= 1 ? [{ arbitrary: fc.constant(1), weight: 6 }] : [];
  return fc.oneof({ arbitrary: fc.integer(range), weight: 1 }, ...one);
}

/** GWLB flow stickiness (domain-facts §1.3). */
export const stickinessArb: fc.Arbitrary<GwlbStickiness> = fc.constantFrom('5-tuple', '3-tuple', '2-tuple');

/** Timer boundary (domain-facts §10), biased toward the AWS `open` reading. */
export const boundaryArb: fc.Arbitrary<Boundary> = fc.oneof({ arbitrary: fc.constant<Boundary>('open'), weight: 3 }, fc.constantFrom<Boundary>('closed', 'ambiguous'));

/** Custom keepalive timing (TCP_KEEPIDLE/INTVL/CNT, domain-facts §4.1). */
export function customKeepaliveArb(idle: fc.Arbitrary<number> = fc.integer({ min: 1, max: 7200 })): fc.Arbitrary<ResolvedKeepalive> {
  return fc.record({ idle, interval: fc.integer({ min: 1, max: 120 }), probes: fc.integer({ min: 1, max: 9 }) }).map((k) => ({ ...k, preset: 'custom' as const }));
}

/** Keepalive: off, an OS preset (domain-facts §4.1–4.3, consequence 7) or custom numbers. */
export const keepaliveArb: fc.Arbitrary<ResolvedKeepalive | 'off'> = fc.oneof(
  { arbitrary: fc.constant<'off'>('off'), weight: 3 },
  { arbitrary: fc.constantFrom('linux' as const, 'windows' as const, 'macos' as const).map((p): ResolvedKeepalive => ({ preset: p, ...keepalivePresets[p] })), weight: 1 },
  { arbitrary: customKeepaliveArb(), weight: 2 },
);

/** An application idle close (consequence 6b), or never. */
export const idleCloseArb: fc.Arbitrary<number | 'never'> = fc.oneof({ arbitrary: fc.constant<'never'>('never'), weight: 2 }, fc.integer({ min: 1, max: 7200 }));

/** Linux endpoint timers midpath does not vary (domain-facts §4.1). */
const linuxTimers = { closeOnPeerFin: true, rtoMin: 0.2, rtoMax: 120, timeWait: 60, finTimeout: 60 } as const;

/** Endpoint settings from parts; `retries2` default 1..3 (cheap explorations); `closeOnPeerFin` default true (the application closes when it reads the peer's FIN). */
export function endpointArb(
  parts: { keepalive?: fc.Arbitrary<ResolvedKeepalive | 'off'>; idleClose?: fc.Arbitrary<number | 'never'>; retries2?: Range; closeOnPeerFin?: fc.Arbitrary<boolean> } = {},
): fc.Arbitrary<EndpointSettings> {
  return fc
    .record({
      keepalive: parts.keepalive ?? keepaliveArb,
      idleClose: parts.idleClose ?? idleCloseArb,
      retries2: fc.integer(parts.retries2 ?? { min: 1, max: 3 }),
      closeOnPeerFin: parts.closeOnPeerFin ?? fc.constant(true),
    })
    .map((e) => ({ ...linuxTimers, ...e }));
}

/**
 * One appliance's session config: PAN-OS (domain-facts §3.1, established
 * 60..7200 s biased toward 3600 and the ssl override 1800; reject-non-SYN
 * mostly on, §3.2) or loose conntrack (§2, never rejects).
 */
export function firewallArb(kinds: readonly FirewallKind[] = ['pan-os', 'conntrack-loose'], established: fc.Arbitrary<number> = fc.oneof(fc.constantFrom(3600, 1800), fc.integer({ min: 60, max: 7200 }))): fc.Arbitrary<Omit<FirewallConfig, 'conn'>> {
  return fc.record({ kind: fc.constantFrom(...kinds), reject: fc.oneof({ arbitrary: fc.constant(true), weight: 4 }, fc.constant(false)), established }).map(({ kind, reject, established: e }) =>
    kind === 'pan-os'
      ? { kind, rejectNonSyn: reject, timeouts: { init: 5, handshake: 10, established: e, halfClosed: 120, timeWait: 15 } }
      : { kind, rejectNonSyn: false, timeouts: { init: 120, handshake: 60, established: e, halfClosed: 120, timeWait: 120 } },
  );
}

/** Options of {@link topologyArb}: each part may be replaced. */
export interface TopologyArbOptions {
  readonly appliances?: fc.Arbitrary<number>;
  readonly connections?: fc.Arbitrary<number>;
  readonly gwlbTimeout?: fc.Arbitrary<number>;
  readonly firewall?: fc.Arbitrary<Omit<FirewallConfig, 'conn'>>;
  readonly client?: fc.Arbitrary<EndpointSettings>;
  readonly server?: fc.Arbitrary<EndpointSettings>;
  readonly stickiness?: fc.Arbitrary<GwlbStickiness>;
  readonly resetOnIdleTimeout?: fc.Arbitrary<boolean>;
  readonly unknownNonSyn?: fc.Arbitrary<'forward' | 'drop'>;
  readonly gwlbBoundary?: fc.Arbitrary<Boundary>;
  readonly applianceBoundary?: fc.Arbitrary<Boundary>;
}

/** A whole topology (default environment: the client connects, sends and closes at will; the server ACKs and idle-closes). */
export function topologyArb(o: TopologyArbOptions = {}): fc.Arbitrary<Topology> {
  return fc
    .record({
      connections: o.connections ?? connectionCountArb(),
      count: o.appliances ?? applianceCountArb(),
      idleTimeout: o.gwlbTimeout ?? gwlbTimeoutArb(),
      firewall: o.firewall ?? firewallArb(),
      client: o.client ?? endpointArb(),
      server: o.server ?? endpointArb(),
      stickiness: o.stickiness ?? stickinessArb,
      resetOnIdleTimeout: o.resetOnIdleTimeout ?? fc.boolean(),
      unknownNonSyn: o.unknownNonSyn ?? fc.oneof({ arbitrary: fc.constant<'forward' | 'drop'>('forward'), weight: 4 }, fc.constant<'forward' | 'drop'>('drop')),
      gwlbBoundary: o.gwlbBoundary ?? boundaryArb,
      applianceBoundary: o.applianceBoundary ?? boundaryArb,
    })
    .map(
      (r): Topology =>
        gwlbTopology({
        name: 'generated',
        connections: r.connections,
        client: r.client,
        server: r.server,
        gwlb: { idleTimeout: r.idleTimeout, stickiness: r.stickiness, unknownNonSyn: r.unknownNonSyn, resetOnIdleTimeout: r.resetOnIdleTimeout, boundary: r.gwlbBoundary },
        appliances: { count: r.count, firewall: r.firewall, boundary: r.applianceBoundary },
        environment: defaultEnvironment,
      }),
    );
}

/** The shortest idle timeout on the path, T = min(GWLB timeout, appliance established timeout) (design.md, the theorem). */
export function shortestTimeout(t: Topology): number {
  return Math.min(kbHop(t).gwlb.idleTimeout, kbHop(t).appliances.firewall.timeouts.established);
}

/** A value strictly after `t` seconds: just above (+1 s), or anywhere up to three times further. */
function above(t: number, max = 3 * t): fc.Arbitrary<number> {
  return fc.oneof(fc.constant(t + 1), fc.integer({ min: t + 1, max: Math.max(t + 1, Math.round(max)) }));
}

/** A value well before `t` seconds (margin ≥ 1 s, domain-facts §10): just below, or anywhere from 1 s. */
function below(t: number): fc.Arbitrary<number> {
  return fc.oneof(fc.constant(t - 1), fc.integer({ min: 1, max: t - 1 }));
}

/**
 * Topologies of the theorem's forward direction: two or more
 * reject-non-SYN appliances, GWLB forwarding unknown non-SYN segments as
 * new flows without RST, and nothing acting before T: the client has no
 * keepalive and no idle close (the KB's client); the server's keepalive
 * and idle close, if any, come after T. The appliance timeout F ranges
 * below and above G (domain-facts §1.4 KB note: lowering it never helps).
 */
export function forwardTopologyArb(o: { appliances?: Range; connections?: fc.Arbitrary<number> } = {}): fc.Arbitrary<Topology> {
  return fc
    .record({ base: topologyArb({ appliances: fc.integer(o.appliances ?? { min: 2, max: 8 }), connections: o.connections ?? fc.constant(1), firewall: firewallArb(['pan-os']), resetOnIdleTimeout: fc.constant(false), unknownNonSyn: fc.constant('forward') }), late: fc.record({ ka: fc.boolean(), close: fc.boolean() }) })
    .chain(({ base, late }) => {
      const T = shortestTimeout(base);
      return fc.record({ ka: late.ka ? customKeepaliveArb(above(T)) : fc.constant<'off'>('off'), close: late.close ? above(T) : fc.constant<'never'>('never') }).map(
        ({ ka, close }): Topology => ({
          ...withGwlb(base, { appliances: { firewall: { ...kbHop(base).appliances.firewall, rejectNonSyn: true } } }),
          client: { ...base.client, keepalive: 'off', idleClose: 'never' },
          server: { ...base.server, keepalive: ka, idleClose: close },
        }),
      );
    });
}

/**
 * Topologies of the theorem's converse: some keepalive idle or application
 * idle close (client or server) acts at least 1 s before T; everything else
 * arbitrary (1..8 appliances of either kind, any RST option and stickiness).
 */
export function converseTopologyArb(o: { connections?: fc.Arbitrary<number> } = {}): fc.Arbitrary<Topology> {
  return fc
    .record({ base: topologyArb({ connections: o.connections ?? fc.constant(1) }), who: fc.constantFrom('client', 'server'), how: fc.constantFrom('keepalive', 'idleClose') })
    .chain(({ base, who, how }) => {
      const T = shortestTimeout(base);
      const fix = how === 'keepalive' ? customKeepaliveArb(below(T)).map((keepalive) => ({ keepalive })) : below(T).map((idleClose) => ({ idleClose }));
      return fix.map((f): Topology => (who === 'client' ? { ...base, client: { ...base.client, ...f } } : { ...base, server: { ...base.server, ...f } }));
    });
}

/** Every timeout (s) an idle gap of this topology can run into: GWLB, appliance states, each endpoint's keepalive and idle close. */
export function timeoutsOf(t: Topology): number[] {
  const out = new Set<number>([kbHop(t).gwlb.idleTimeout, kbHop(t).appliances.firewall.timeouts.established, kbHop(t).appliances.firewall.timeouts.halfClosed]);
  for (let c = 0; c < t.connections; c++) {
    for (const role of ['client', 'server'] as const) {
      const e = endpointSettings(t, c, role);
      if (e.keepalive !== 'off') out.add(e.keepalive.idle);
      if (e.idleClose !== 'never') out.add(e.idleClose);
    }
  }
  return [...out].sort((a, b) => a - b);
}

/**
 * An idle gap in ms, biased toward just below, at and just above every
 * timeout of the topology (±1 ms and ±1 s), else anywhere up to twice the
 * largest.
 */
export function idleGapArb(t: Topology): fc.Arbitrary<number> {
  const near = timeoutsOf(t).flatMap((s) => [s * 1000 - 1000, s * 1000 - 1, s * 1000, s * 1000 + 1, s * 1000 + 1000]).filter((ms) => ms > 0);
  const max = Math.max(...timeoutsOf(t)) * 2000;
  return fc.oneof({ arbitrary: fc.constantFrom(...near), weight: 3 }, { arbitrary: fc.integer({ min: 1, max }), weight: 1 });
}

/** Generated traffic for the simulator: application actions, and when to stop. */
export interface Traffic {
  /** Actions at absolute times (ms), sorted. */
  readonly schedule: readonly ScheduledAction[];
  /** Run the simulator until this time (ms). */
  readonly until: number;
  /** Idle gaps (ms) between a connection's consecutive actions, as generated. */
  readonly gaps: readonly number[];
}

/** Options of {@link trafficArb}. */
export interface TrafficOptions {
  /** Actions after the connect, per connection (default 1..4). */
  readonly actions?: Range;
  /** One of connection 0's gaps is replaced by a gap strictly above this many seconds. */
  readonly gapAbove?: number;
  /** Extra time after the last action (ms, default: twice the largest timeout). */
  readonly tail?: number;
}

/**
 * Traffic for a topology: each connection connects within its first 5 s,
 * then sends requests after generated idle gaps ({@link idleGapArb}); its last
 * action may be a close. With `gapAbove`, connection 0 has one gap strictly
 * above that many seconds.
 */
export function trafficArb(t: Topology, o: TrafficOptions = {}): fc.Arbitrary<Traffic> {
  const step = fc.record({ gap: idleGapArb(t), close: fc.oneof({ arbitrary: fc.constant(false), weight: 3 }, fc.constant(true)) });
  const conn = fc.record({ start: fc.integer({ min: 0, max: 5000 }), steps: fc.array(step, { minLength: o.actions?.min ?? 1, maxLength: o.actions?.max ?? 4 }) });
  const forced = o.gapAbove === undefined ? fc.constant(undefined) : fc.record({ at: fc.nat(), gap: fc.oneof(fc.constant(o.gapAbove * 1000 + 1), fc.constant(o.gapAbove * 1000 + 1000), fc.integer({ min: o.gapAbove * 1000 + 1, max: o.gapAbove * 3000 })) });
  return fc.record({ conns: fc.array(conn, { minLength: t.connections, maxLength: t.connections }), forced }).map(({ conns, forced: f }) => {
    const schedule: ScheduledAction[] = [];
    const gaps: number[] = [];
    let end = 0;
    conns.forEach((c, ci) => {
      const steps = [...c.steps];
      if (ci === 0 && f) {
        const i = f.at % steps.length;
        steps[i] = { ...steps[i]!, gap: f.gap };
      }
      let time = c.start;
      schedule.push({ time, conn: ci, role: 'client', action: 'APP_CONNECT' });
      steps.forEach((s, i) => {
        time += s.gap;
        gaps.push(s.gap);
        const action: AppEventType = s.close && i === steps.length - 1 ? 'APP_CLOSE' : 'APP_SEND';
        schedule.push({ time, conn: ci, role: 'client', action });
      });
      end = Math.max(end, time);
    });
    schedule.sort((a, b) => a.time - b.time || a.conn - b.conn);
    return { schedule, until: end + (o.tail ?? Math.max(...timeoutsOf(t)) * 2000), gaps };
  });
}

/** How a new GWLB flow picks its appliance in the simulator. */
export type TargetStrategy =
  /** The worst case (domain-facts consequence 2): the first flow of a connection goes to appliance 0, every later new flow to a different one. */
  | { readonly kind: 'adversarial' }
  /** Every new flow of a connection goes back to its first appliance. */
  | { readonly kind: 'home' }
  /** Choices taken in turn (modulo the appliance count), then 0. */
  | { readonly kind: 'scripted'; readonly choices: readonly number[] };

/** A {@link TargetChooser} for the simulator following a strategy over `n` appliances. */
export function targetChooser(n: number, s: TargetStrategy): TargetChooser {
  const home = new Map<number, number>();
  const queue = s.kind === 'scripted' ? [...s.choices] : [];
  return (conn: number, _seg: Segment, _time: number): number => {
    const h = home.get(conn);
    let pick: number;
    if (s.kind === 'scripted') pick = (queue.shift() ?? 0) % n;
    else if (h === undefined) pick = 0;
    else pick = s.kind === 'home' ? h : (h + 1) % n;
    if (h === undefined) home.set(conn, pick);
    return pick;
  };
}

/** Target strategies, biased toward the adversarial one. */
export const targetStrategyArb: fc.Arbitrary<TargetStrategy> = fc.oneof(
  { arbitrary: fc.constant<TargetStrategy>({ kind: 'adversarial' }), weight: 2 },
  fc.constant<TargetStrategy>({ kind: 'home' }),
  fc.array(fc.nat({ max: 7 }), { maxLength: 8 }).map((choices): TargetStrategy => ({ kind: 'scripted', choices })),
);

/**
 * What the first segment after a hop's idle timeout meets there, for a hop
 * whose flow table forgets an idle flow (docs/domain-facts.md §2, §11.2):
 * `reset` (an RST to the sender: AWS NAT gateway toward the inside, NLB,
 * Azure NAT gateway), `drop` (silently: AWS Network Firewall, GCP Cloud NAT
 * by default, PAN-OS tcp-reject-non-syn, EC2 conntrack and GCP firewall
 * when the rules refuse it, Linux conntrack without loose pickup).
 */
export type LateSegmentFate = 'reset' | 'drop';

/** A hop of a generated path with the fate of a late client segment there. */
export interface GeneratedHop {
  readonly hop: HopSpec;
  readonly fate: LateSegmentFate;
  /** Its idle timeout T_h (seconds): the established timeout a late segment meets. */
  readonly timeout: number;
}

const boundedTimeout = (min: number, max: number) => fc.integer({ min, max: Math.min(max, 1200) });

/**
 * One hop of any kind that forgets idle flows and does not adopt a late
 * client segment, with random settings in its documented ranges (timeouts
 * bounded to 1200 s to keep explorations small; magnitudes do not change
 * the zone graph).
 */
export const forgettingHopArb: fc.Arbitrary<GeneratedHop> = fc.oneof(
  fc.constantFrom('open', 'closed', 'ambiguous').map((b): GeneratedHop => ({ hop: flowHop('nat-gateway', { boundary: b }), fate: 'reset', timeout: 350 })),
  fc.record({ t: boundedTimeout(60, 6000), b: boundaryArb }).map(({ t, b }): GeneratedHop => ({ hop: flowHop('nlb', { idleTimeout: t, boundary: b }), fate: 'reset', timeout: t })),
  fc.record({ m: fc.integer({ min: 4, max: 20 }), b: boundaryArb }).map(({ m, b }): GeneratedHop => ({ hop: flowHop('azure-nat-gateway', { idleTimeout: m * 60, boundary: b }), fate: 'reset', timeout: m * 60 })),
  fc.record({ t: boundedTimeout(60, 6000), b: boundaryArb }).map(({ t, b }): GeneratedHop => ({ hop: flowHop('aws-network-firewall', { idleTimeout: t, boundary: b }), fate: 'drop', timeout: t })),
  fc.record({ t: boundedTimeout(60, 1200), b: boundaryArb }).map(({ t, b }): GeneratedHop => ({ hop: flowHop('gcp-cloud-nat', { idleTimeout: t, boundary: b }), fate: 'drop', timeout: t })),
  fc.record({ t: boundedTimeout(60, 432000), b: boundaryArb }).map(({ t, b }): GeneratedHop => ({ hop: flowHop('eni-conntrack', { idleTimeout: t, lateSegment: 'drop', boundary: b }), fate: 'drop', timeout: t })),
  boundaryArb.map((b): GeneratedHop => ({ hop: flowHop('gcp-firewall', { lateSegment: 'drop', boundary: b }), fate: 'drop', timeout: 600 })),
  fc.record({ t: boundedTimeout(60, 432000), b: boundaryArb }).map(({ t, b }): GeneratedHop => ({ hop: flowHop('linux-conntrack', { idleTimeout: t, tcpLoose: false, boundary: b }), fate: 'drop', timeout: t })),
  fc.record({ t: boundedTimeout(60, 7200), b: boundaryArb }).map(({ t, b }): GeneratedHop => ({
    hop: { kind: 'firewall', firewall: { kind: 'pan-os', rejectNonSyn: true, timeouts: { init: 5, handshake: 10, established: t, halfClosed: 120, timeWait: 15 } }, boundary: b },
    fate: 'drop',
    timeout: t,
  })),
);

/** A generated path: its hops (1..`maxHops`, client side first) and what the theorem says of it. */
export interface GeneratedPath {
  readonly hops: readonly GeneratedHop[];
  /** T: the shortest idle timeout along the path. */
  readonly shortest: number;
  /** The hop nearest the client among those whose timeout is T: a late client segment meets it first. */
  readonly first: GeneratedHop;
}

/** Paths of 1..`maxHops` forgetting hops of any kind in any order, with random settings. */
export function pathArb(maxHops = 5): fc.Arbitrary<GeneratedPath> {
  return fc.array(forgettingHopArb, { minLength: 1, maxLength: maxHops }).map((hops) => {
    const shortest = Math.min(...hops.map((h) => h.timeout));
    return { hops, shortest, first: hops.find((h) => h.timeout === shortest)! };
  });
}

/** The timeout boundary a hop's entry uses. */
export function hopBoundary(h: HopSpec): Boundary {
  return h.kind === 'gwlb' ? h.gwlb.boundary : h.kind === 'firewall' ? h.boundary : h.config.boundary;
}

/**
 * A topology on a generated path: 1..3 connections of clients that hold the
 * connection forever (no keepalive, no idle close: the KB's client) or, for
 * the converse, with a keepalive idle `keepaliveIdle`, and a server that
 * only answers.
 */
export function pathTopology(p: GeneratedPath, connections: number, keepaliveIdle?: number): Topology {
  const quiet: EndpointSettings = { keepalive: 'off', idleClose: 'never', closeOnPeerFin: true, retries2: 2, rtoMin: 0.2, rtoMax: 120, timeWait: 60, finTimeout: 60 };
  const client: EndpointSettings = keepaliveIdle === undefined ? quiet : { ...quiet, keepalive: { idle: keepaliveIdle, interval: 10, probes: 3, preset: 'custom' } };
  return { name: 'generated-path', connections, client, server: quiet, path: p.hops.map((h) => h.hop), environment: defaultEnvironment };
}
