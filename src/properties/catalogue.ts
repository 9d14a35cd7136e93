import type { Checks } from '../engine/explore.ts';
import type { SystemLabel } from '../system/labels.ts';
import { CLOSING, HOLDS_OPEN, NOT_CONNECTED, endpointEndReason, endpointState } from '../system/inspect.ts';
import type { ProductSystem, SystemEdge, SystemState } from '../system/product.ts';
import { suggestName } from '../scenarios/suggestName.ts';

/** Stable property ids (design.md, "Properties"). */
export type PropertyId = 'no-mid-path-drop' | 'no-mid-path-reset' | 'no-half-open' | 'clean-close';

/** A safety property of the composed system: data, selected by id. */
export interface Property {
  readonly id: PropertyId;
  readonly title: string;
  /** What it means, in a network engineer's words. */
  readonly description: string;
  /** The connection whose violation this edge (from `source`) is, or undefined when it violates nothing. */
  readonly edge?: (sys: ProductSystem, source: SystemState, edge: SystemEdge) => number | undefined;
  /** Violated in this state (checked only where time may pass: no segment in flight)? */
  readonly state?: (sys: ProductSystem, s: SystemState) => number | undefined;
}

const roles = ['client', 'server'] as const;

function connectionHeld(sys: ProductSystem, s: SystemState, conn: number): boolean {
  return roles.some((r) => !NOT_CONNECTED.has(endpointState(sys, s, conn, r)));
}

/** The property catalogue, in report order. */
export const properties: readonly Property[] = [
  {
    id: 'no-mid-path-drop',
    title: 'No middlebox silently drops a live connection’s segment',
    description:
      'No load balancer or firewall on the path silently discards a segment (data, ACK, keepalive probe, FIN or RST) of a connection that an endpoint still holds open. A violation is the KB 16099 symptom: the packet vanishes mid-path, no RST tells either side, and the sender retransmits into the void.',
    edge: (sys, source, edge) =>
      edge.label.kind === 'segment' && edge.label.outcome === 'dropped' && !edge.label.seg.injected && sys.observes(edge.label.seg.conn) && connectionHeld(sys, source, edge.label.seg.conn)
        ? edge.label.seg.conn
        : undefined,
  },
  {
    id: 'no-mid-path-reset',
    title: 'No middlebox injects an RST into a live connection',
    description:
      'No middlebox answers a segment of a live connection with a reset of its own (for example GWLB with send_tcp_reset.on_idle_timeout enabled, domain-facts §1.2, or a NAT gateway answering a late segment), nor resets it on its own at its idle timeout (Azure Load Balancer with TCP reset, domain-facts §2). A violation is not silent: the endpoint sees ECONNRESET at once, but the connection is still cut mid-path.',
    edge: (sys, source, edge) => {
      const l = edge.label;
      if (l.kind === 'segment') return l.outcome === 'reset' && sys.observes(l.seg.conn) && connectionHeld(sys, source, l.seg.conn) ? l.seg.conn : undefined;
      // a proactive reset at a middlebox's idle timeout (Azure LB tcpReset, domain-facts §2, §11.2)
      if (l.kind === 'timer') return l.resets?.find((c) => sys.observes(c) && connectionHeld(sys, source, c));
      return undefined;
    },
  },
  {
    id: 'no-half-open',
    title: 'No half-open connection',
    description:
      'It never happens that one endpoint still holds the connection open (ESTABLISHED or CLOSE-WAIT: its application can still use it) while the other has closed or aborted it. A violation leaves a socket that will wait, or send into nothing, until its own timers notice.',
    state: (sys, s) => {
      if (s.inflight.length > 0) return undefined;
      for (let c = 0; c < sys.observed; c++) {
        const a = endpointState(sys, s, c, 'client');
        const b = endpointState(sys, s, c, 'server');
        if ((HOLDS_OPEN.has(a) && b === 'ended') || (HOLDS_OPEN.has(b) && a === 'ended')) return c;
      }
      return undefined;
    },
  },
  {
    id: 'clean-close',
    title: 'Every close completes its FIN exchange',
    description:
      'Once either side has begun closing (sent or received a FIN), both endpoints finish through the FIN exchange; neither ends by a retransmission timeout, a keepalive timeout or a reset. A violation is a close that was lost mid-path: the closing side gives up (ETIMEDOUT) instead of completing.',
    edge: (sys, source, edge) => {
      for (let c = 0; c < sys.observed; c++) {
        for (const r of roles) {
          const before = endpointState(sys, source, c, r);
          if (before === 'ended' || !CLOSING.has(before)) continue;
          const tc = sys.connectionInTarget(edge, c);
          if (endpointState(sys, edge.target, tc, r) !== 'ended') continue;
          const reason = endpointEndReason(sys, edge.target, tc, r);
          if (reason !== 'fin') return c;
        }
      }
      return undefined;
    },
  },
];

/** True when `id` is a property id of the catalogue. */
export function isPropertyId(id: string): id is PropertyId {
  return properties.some((p) => p.id === id);
}

/**
 * What is wrong with a property id that is not in the catalogue, with the
 * closest id when it is a likely typo: `unknown property (did you mean
 * no-mid-path-drop?); known: no-mid-path-drop, …`. The CLI's `--property`
 * and the library's `check(s, { properties })` both say this.
 */
export function unknownPropertyText(id: string): string {
  const known = properties.map((p) => p.id as string);
  const hint = suggestName(id, known);
  return `unknown property${hint === undefined ? '' : ` (did you mean ${hint}?)`}; known: ${known.join(', ')}`;
}

/** A property id that is not in the catalogue, given to the library (`check(s, { properties })`). */
export class UnknownPropertyError extends Error {
  /** The option that holds it. */
  readonly field = 'properties';
  constructor(readonly id: string) {
    super(`properties: '${id}': ${unknownPropertyText(id)}`);
    this.name = 'UnknownPropertyError';
  }
}

/** Looks a property up by id. */
export function propertyById(id: string): Property | undefined {
  return properties.find((p) => p.id === id);
}

/** The explorer's checks for a selection of properties on a composed system. */
export function checksFor(sys: ProductSystem, selected: readonly Property[] = properties): Checks<SystemState, SystemLabel> {
  const edgeProps = selected.filter((p) => p.edge);
  const stateProps = selected.filter((p) => p.state);
  const stateConn = new Map<string, number>();
  const edgeConn = new WeakMap<object, Map<string, number>>();
  return {
    ids: selected.map((p) => p.id),
    edge: (source, edge) => {
      const out: string[] = [];
      for (const p of edgeProps) {
        const c = p.edge!(sys, source, edge as SystemEdge);
        if (c === undefined) continue;
        out.push(p.id);
        let m = edgeConn.get(edge);
        if (!m) {
          m = new Map();
          edgeConn.set(edge, m);
        }
        m.set(p.id, c);
      }
      return out;
    },
    state: (s) => {
      const out: string[] = [];
      for (const p of stateProps) {
        const c = p.state!(sys, s);
        if (c !== undefined) {
          out.push(p.id);
          stateConn.set(`${p.id}|${s.key}`, c);
        }
      }
      return out;
    },
    windowClock: (s, prop, edge) => {
      const fromEdge = edge ? edgeConn.get(edge)?.get(prop) : undefined;
      if (fromEdge !== undefined) return sys.observerClock(fromEdge);
      const c = stateConn.get(`${prop}|${s.key}`);
      return c === undefined ? undefined : sys.observerClock(c);
    },
  };
}
