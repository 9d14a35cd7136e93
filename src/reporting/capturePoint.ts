/**
 * Where on the path a frame of a capture is seen. The points are read off a
 * trace's hop records, so they follow whatever hops the path has:
 *
 * - a `link` between two neighbours of the path (`client`, a hop's name such
 *   as `gwlb`, `server`), plain TCP, both directions, like a tap on that cable;
 * - the legs between a hop that hands segments to one of several targets (a
 *   GWLB and its appliances, domain-facts §1.6) and target `target`, one
 *   point per direction (`to-target`: hop → target, `from-target`: back),
 *   because the same inner segment crosses both and a tap on each direction
 *   sees it once.
 */
export type CapturePoint =
  | {
      readonly at: 'link';
      /** The neighbour nearer the client: `client` or a hop name. */
      readonly near: string;
      /** The neighbour nearer the server: a hop name or `server`. */
      readonly far: string;
    }
  | {
      readonly at: 'to-target' | 'from-target';
      /** The hop that chose the target (e.g. `gwlb`). */
      readonly hop: string;
      /** The target's index (appliance k). */
      readonly target: number;
    };

/** A stable key of a capture point (equal points, equal keys). */
export function capturePointKey(p: CapturePoint): string {
  return p.at === 'link' ? `link:${p.near}|${p.far}` : `${p.at}:${p.hop}#${p.target}`;
}

/** How a capture names the hops and targets it passes. */
export interface CaptureNames {
  /** A hop's title, e.g. `gwlb` → `GWLB`. */
  readonly hop: (hop: string) => string;
  /** Target k of a hop, e.g. `appliance1`. */
  readonly target: (hop: string, target: number) => string;
  /** True when the legs between the hop and its targets are GENEVE-encapsulated. */
  readonly geneve: (hop: string) => boolean;
}

/**
 * The interface name of a capture point: `client side ⇄ GWLB` and
 * `GWLB ⇄ server side` for the links next to the endpoints (so that every
 * hop of the path, even a single one, is named by an interface),
 * `GWLB ⇄ NAT` between two hops, `GWLB → appliance1 (GENEVE)` and
 * `appliance1 → GWLB (GENEVE)` for the legs to and from a target.
 */
export function capturePointName(p: CapturePoint, names: CaptureNames): string {
  if (p.at === 'link') {
    if (p.near === 'client') return p.far === 'server' ? 'client side ⇄ server side' : `client side ⇄ ${names.hop(p.far)}`;
    if (p.far === 'server') return `${names.hop(p.near)} ⇄ server side`;
    return `${names.hop(p.near)} ⇄ ${names.hop(p.far)}`;
  }
  const hop = names.hop(p.hop);
  const target = names.target(p.hop, p.target);
  const encap = names.geneve(p.hop) ? ' (GENEVE)' : '';
  return p.at === 'to-target' ? `${hop} → ${target}${encap}` : `${target} → ${hop}${encap}`;
}
