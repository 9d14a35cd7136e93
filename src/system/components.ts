import type { AnyMachineSnapshot, AnyStateMachine } from 'xstate';
import { firewallSessionMachine } from '../models/firewallSessionMachine.ts';
import { gwlbFlowMachine, needsTargetChoice as gwlbNeedsTargetChoice, type GwlbFlowSnapshot } from '../models/gwlbFlowMachine.ts';
import { HOP_KINDS, type HopKind } from '../models/hopKinds.ts';
import { tcpEndpointMachine } from '../models/tcpEndpointMachine.ts';
import type { Role, Segment } from '../models/segment.ts';
import { ComponentLogic } from './componentLogic.ts';
import { componentName, type ComponentKind, type ComponentRef } from './componentRef.ts';
import { endpointSettings, sharesEntry, type Boundary, type HopSpec, type Topology } from './topology.ts';

export type { ComponentKind } from './componentRef.ts';

/** Application (environment) events an endpoint accepts. */
export type AppEventType = 'APP_CONNECT' | 'APP_SEND' | 'APP_CLOSE';

/** One machine instance of the composed system. */
export interface ComponentInstance {
  readonly index: number;
  /** What it is, as a typed reference (the system's only way to refer to it). */
  readonly ref: ComponentRef;
  /** Its report name, rendered from {@link ref} (display only, never parsed). */
  readonly name: string;
  readonly kind: ComponentKind;
  readonly logic: ComponentLogic;
  /** Endpoint: role. */
  readonly role?: Role;
  /** Endpoint and per-connection middlebox instances: the connection. */
  readonly conn?: number;
  /** Middleboxes: the hop index on the path. */
  readonly hop?: number;
  /** Middleboxes: timer boundary semantics (domain-facts §10). */
  readonly boundary: Boundary;
}

/** How one hop of the path is instantiated. */
export interface HopLayout {
  readonly index: number;
  readonly spec: HopSpec;
  /** entryOf[conn] → component index of the flow entry the connection's key maps to. */
  readonly entryOf: readonly number[];
  /** The hop's distinct entry component indices. */
  readonly entries: readonly number[];
  /** targets[target][conn] → component index; empty for a hop without target instances. */
  readonly targets: readonly (readonly number[])[];
  /** How many targets a new entry may choose among (1 for a hop that does not choose; may exceed 0 without target instances: backends that are plain hosts). */
  readonly targetCount: number;
  /**
   * For a hop whose new entries choose a target: whether `seg` creates a new
   * entry in this snapshot, so the engine branches over targets.
   */
  readonly needsTargetChoice?: (snapshot: AnyMachineSnapshot, seg: Segment) => boolean;
}

/** The instances of a topology and how they connect. */
export interface Layout {
  readonly topology: Topology;
  readonly components: readonly ComponentInstance[];
  /** endpoint[conn][0 = client, 1 = server] → component index. */
  readonly endpoint: readonly (readonly [number, number])[];
  /** The hops, client side first. */
  readonly hops: readonly HopLayout[];
}

/**
 * The machines a layout instantiates; tests swap in deliberately broken
 * variants (mutants) to show that each property can fail.
 */
export interface MachineSet {
  readonly endpoint: AnyStateMachine;
  readonly gwlbFlow: AnyStateMachine;
  /** Firewall sessions: GWLB appliances, Azure LB backends and standalone firewall hops. */
  readonly session: AnyStateMachine;
  /** Replacements of registry kinds' flow machines (default: the registry's, src/models/hopKinds.ts). */
  readonly hops?: Partial<Readonly<Record<HopKind, AnyStateMachine>>>;
}

/** The real models. */
export const defaultMachines: MachineSet = {
  endpoint: tcpEndpointMachine as AnyStateMachine,
  gwlbFlow: gwlbFlowMachine as AnyStateMachine,
  session: firewallSessionMachine as AnyStateMachine,
};

/**
 * The context fields of a choosing hop's entry machine that hold a target
 * index: `target` (the target the entry is pinned to; GWLB, Azure LB) and
 * `lastTarget` (the target an expired Azure LB flow had, for
 * `newFlowBackend: same`). Symmetry reduction renumbers both.
 */
export const TARGET_FIELDS = ['target', 'lastTarget'] as const;

/** The target a flow entry is pinned to (`context.target` of a choosing hop's entry machine), or null. */
export function pinnedTarget(snapshot: AnyMachineSnapshot): number | null {
  const t = (snapshot.context as { target?: unknown }).target;
  return typeof t === 'number' ? t : null;
}

/** Every target index an entry's context refers to ({@link TARGET_FIELDS}). */
export function referencedTargets(snapshot: AnyMachineSnapshot): number[] {
  const ctx = snapshot.context as Record<string, unknown>;
  return TARGET_FIELDS.map((f) => ctx[f]).filter((t): t is number => typeof t === 'number');
}

/**
 * Builds the component instances of a topology: a client and a server
 * endpoint per connection, then per hop its flow entries (one per
 * connection, or one shared entry for GWLB 3- and 2-tuple stickiness, since
 * all connections run between the same two addresses over TCP:
 * domain-facts §1.3) and, for a GWLB, one firewall session per (appliance,
 * connection); a standalone firewall hop keeps one session per connection.
 */
export function buildLayout(t: Topology, machines: MachineSet = defaultMachines): Layout {
  const components: ComponentInstance[] = [];
  const add = (c: Omit<ComponentInstance, 'index' | 'name' | 'kind'>): number => {
    components.push({ ...c, kind: c.ref.kind, name: componentName(t, c.ref), index: components.length });
    return components.length - 1;
  };
  const endpoint: [number, number][] = [];
  for (let c = 0; c < t.connections; c++) {
    const client = add({
      ref: { kind: 'endpoint', role: 'client', conn: c },
      role: 'client',
      conn: c,
      boundary: 'ambiguous',
      logic: new ComponentLogic('client', machines.endpoint, { ...endpointSettings(t, c, 'client'), role: 'client', conn: c }),
    });
    const server = add({
      ref: { kind: 'endpoint', role: 'server', conn: c },
      role: 'server',
      conn: c,
      boundary: 'ambiguous',
      logic: new ComponentLogic('server', machines.endpoint, { ...endpointSettings(t, c, 'server'), role: 'server', conn: c }),
    });
    endpoint.push([client, server]);
  }
  const hops = t.path.map((spec, h): HopLayout => {
    const entryOf: number[] = [];
    const entries: number[] = [];
    const targets: number[][] = [];
    if (spec.kind === 'gwlb') {
      const input = {
        idleTimeout: spec.gwlb.idleTimeout,
        targets: spec.appliances.count,
        stickiness: spec.gwlb.stickiness,
        unknownNonSyn: spec.gwlb.unknownNonSyn,
        resetOnIdleTimeout: spec.gwlb.resetOnIdleTimeout,
      };
      const logic = new ComponentLogic('gwlbFlow', machines.gwlbFlow, input);
      const shared = sharesEntry(spec);
      for (let c = 0; c < t.connections; c++) {
        if (shared && c > 0) {
          entryOf.push(entryOf[0]!);
          continue;
        }
        const f = add({ ref: { kind: 'entry', hop: h, conn: shared ? null : c }, hop: h, ...(shared ? {} : { conn: c }), boundary: spec.gwlb.boundary, logic });
        entryOf.push(f);
        entries.push(f);
      }
      const sessionLogic = Array.from({ length: t.connections }, (_, c) => new ComponentLogic('session', machines.session, { ...spec.appliances.firewall, conn: c }));
      for (let a = 0; a < spec.appliances.count; a++) {
        const row: number[] = [];
        for (let c = 0; c < t.connections; c++) {
          row.push(add({ ref: { kind: 'target', hop: h, target: a, conn: c }, hop: h, conn: c, boundary: spec.appliances.boundary, logic: sessionLogic[c]! }));
        }
        targets.push(row);
      }
      return { index: h, spec, entryOf, entries, targets, targetCount: spec.appliances.count, needsTargetChoice: (snap, seg) => gwlbNeedsTargetChoice(snap as GwlbFlowSnapshot, seg) };
    }
    if (spec.kind === 'flow') {
      const def = HOP_KINDS[spec.type];
      const machine = machines.hops?.[spec.type] ?? (def.machine as AnyStateMachine);
      const logic = new ComponentLogic(spec.type, machine, spec.config);
      for (let c = 0; c < t.connections; c++) {
        const e = add({ ref: { kind: 'entry', hop: h, conn: c }, hop: h, conn: c, boundary: spec.config.boundary, logic });
        entryOf.push(e);
        entries.push(e);
      }
      const backends = spec.backends;
      if (def.choosesTarget && backends) {
        const sessionLogic = Array.from({ length: t.connections }, (_, c) => new ComponentLogic('session', machines.session, { ...backends.firewall, conn: c }));
        for (let a = 0; a < backends.count; a++) {
          targets.push(Array.from({ length: t.connections }, (_, c) => add({ ref: { kind: 'target', hop: h, target: a, conn: c }, hop: h, conn: c, boundary: backends.boundary, logic: sessionLogic[c]! })));
        }
      }
      const choose = def.needsTargetChoice as ((snapshot: AnyMachineSnapshot, seg: Segment) => boolean) | undefined;
      return { index: h, spec, entryOf, entries, targets, targetCount: spec.config.targets, ...(choose ? { needsTargetChoice: choose } : {}) };
    }
    for (let c = 0; c < t.connections; c++) {
      const logic = new ComponentLogic('session', machines.session, { ...spec.firewall, conn: c });
      const e = add({ ref: { kind: 'entry', hop: h, conn: c }, hop: h, conn: c, boundary: spec.boundary, logic });
      entryOf.push(e);
      entries.push(e);
    }
    return { index: h, spec, entryOf, entries, targets, targetCount: 1 };
  });
  return { topology: t, components, endpoint, hops };
}

/** The component index of a reference in a layout, or undefined when the layout has no such component. */
export function componentIndex(layout: Layout, ref: ComponentRef): number | undefined {
  if (ref.kind === 'endpoint') return layout.endpoint[ref.conn]?.[ref.role === 'client' ? 0 : 1];
  const hop = layout.hops[ref.hop];
  if (!hop) return undefined;
  if (ref.kind === 'target') return hop.targets[ref.target]?.[ref.conn];
  return ref.conn === null ? hop.entries[0] : hop.entryOf[ref.conn];
}
