import type { Role } from '../models/segment.ts';
import type { HopSpec, Topology } from './topology.ts';

/**
 * A typed reference to one component instance of a composed topology
 * (design.md, "Composition"): the system refers to components only by these;
 * names are rendered from them ({@link componentName}) for reports, never
 * parsed back.
 * - `endpoint`: the client or server socket of a connection;
 * - `entry`: a hop's flow-table entry for one connection's key, or the one
 *   entry every connection shares (`conn` null: GWLB 2-/3-tuple stickiness);
 * - `target`: what target `target` of a choosing hop (a GWLB appliance)
 *   keeps for connection `conn`.
 */
export type ComponentRef =
  | { readonly kind: 'endpoint'; readonly role: Role; readonly conn: number }
  | { readonly kind: 'entry'; readonly hop: number; readonly conn: number | null }
  | { readonly kind: 'target'; readonly hop: number; readonly target: number; readonly conn: number };

/** The kind of component a reference points to. */
export type ComponentKind = ComponentRef['kind'];

/**
 * The report name of hop `h`: its `name`, or its kind (`gwlb`, or the
 * firewall's kind, e.g. `pan-os`); when two hops would share a default
 * name, the later ones get their position appended (`pan-os-2`).
 */
export function hopName(t: Topology, h: number): string {
  const hop = t.path[h];
  if (hop === undefined) return `hop${h}`;
  if (hop.name !== undefined) return hop.name;
  const base = defaultName(hop);
  const clash = t.path.some((o, k) => k !== h && o.name === undefined && defaultName(o) === base);
  const first = t.path.findIndex((o) => o.name === undefined && defaultName(o) === base);
  return clash && first !== h ? `${base}-${h + 1}` : base;
}

function defaultName(hop: HopSpec): string {
  return hop.kind === 'gwlb' ? 'gwlb' : hop.kind === 'firewall' ? hop.firewall.kind : hop.type;
}

/**
 * The name prefix of a choosing hop's targets: `appliance` for a GWLB named
 * `gwlb` (KB 16099's PA-VM-1/2 are `appliance0`/`appliance1`),
 * `<hop name>.appliance` for another GWLB, `<hop name>.backend` for a
 * registry kind's backends (Azure LB).
 */
export function targetPrefix(t: Topology, h: number): string {
  const name = hopName(t, h);
  if (t.path[h]?.kind === 'flow') return `${name}.backend`;
  return name === 'gwlb' ? 'appliance' : `${name}.appliance`;
}

/**
 * The report name of a component: `client0`, `server1`, `gwlb.flow0` (or
 * `gwlb.flow` for a shared entry), `appliance1.c0`, `pan-os.c0`,
 * `nat-gateway.flow0`, `azure-lb.backend1.c0`.
 */
export function componentName(t: Topology, ref: ComponentRef): string {
  if (ref.kind === 'endpoint') return `${ref.role}${ref.conn}`;
  if (ref.kind === 'target') return `${targetPrefix(t, ref.hop)}${ref.target}.c${ref.conn}`;
  const hop = t.path[ref.hop];
  const name = hopName(t, ref.hop);
  if (hop?.kind === 'gwlb' || hop?.kind === 'flow') return ref.conn === null ? `${name}.flow` : `${name}.flow${ref.conn}`;
  return ref.conn === null ? name : `${name}.c${ref.conn}`;
}

/** A reference renumbered: connections through `conn` and targets of each hop through `target` (symmetry reduction's renumbering). */
export function renumberRef(ref: ComponentRef, conn: (c: number) => number, target: (hop: number, a: number) => number): ComponentRef {
  if (ref.kind === 'endpoint') return { ...ref, conn: conn(ref.conn) };
  if (ref.kind === 'entry') return ref.conn === null ? ref : { ...ref, conn: conn(ref.conn) };
  return { ...ref, conn: conn(ref.conn), target: target(ref.hop, ref.target) };
}
