import { connectionsAlike, type Topology } from './topology.ts';

/**
 * How many connections a composed system observes (issue 15, "products that
 * do not decompose"): every connection, or only connection 0 when the
 * connections are interchangeable.
 *
 * Observing one connection (symmetry over connections, then one observer):
 * with identical endpoint settings (no `perConnection` override) every
 * renumbering of the connections maps the composed system onto itself (a
 * shared 2-/3-tuple flow entry is shared by all of them alike; symmetry.ts).
 * So a run in which connection `c` violates a property with idle gap `g`
 * has an image in which connection 0 does, with the same gap: the verdict
 * of every property and its idle-gap window over all connections equal
 * those of connection 0 alone. The other connections' observer clocks
 * (never in a guard, only read for windows) are then removed from every
 * zone, their violations are not checked, and connection symmetry
 * renumbers only the connections other than 0. Exact: the zone graph
 * without a clock that no guard reads is the projection of the one with it
 * (test/system/observedConnections.test.ts compares verdicts and windows
 * with the unreduced product). Counterexamples are then always for
 * connection 0.
 *
 * On by default in `checkTopology` wherever it applies (a `ProductSystem`
 * built directly observes every connection unless asked): together with stopping at the end of
 * the observed connection (observedEnd.ts) it was measured to explore fewer
 * states than the symmetry it gives up, except on one small topology (4 %
 * more; README, "Products that do not decompose").
 *
 * Returns `t.connections` when the reduction is off or does not apply (one
 * connection; connections that differ).
 */
export function observedConnections(t: Topology, observeOne = true): number {
  if (!observeOne || t.connections < 2) return t.connections;
  // the same condition as connection symmetry (product.ts)
  return connectionsAlike(t) ? 1 : t.connections;
}
