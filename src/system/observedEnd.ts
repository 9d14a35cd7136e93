import type { ClockSpec, LazyEdge, TimedSystem } from '../engine/timedSystem.ts';
import { endpointState } from './inspect.ts';
import type { SystemLabel } from './labels.ts';
import type { ProductSystem, SystemEdge, SystemState } from './product.ts';

/**
 * True when every observed connection (observedConnections.ts) is over in
 * `s`: both its endpoints are `ended` and none of its segments is in flight.
 *
 * From such a state no observed connection can violate a property again:
 * `ended` is terminal (tcpEndpointMachine: it only answers a segment of its
 * own connection with an RST) and not connected (inspect.ts
 * `NOT_CONNECTED`), a segment of the connection can only come from its
 * endpoints, which then never send again, so the connection is never held
 * open, never closing, never half-open (the conditions of every property in
 * the catalogue, src/properties/catalogue.ts).
 */
export function observedEnded(sys: ProductSystem, s: SystemState): boolean {
  for (let c = 0; c < sys.observed; c++) {
    if (endpointState(sys, s, c, 'client') !== 'ended' || endpointState(sys, s, c, 'server') !== 'ended') return false;
  }
  for (const g of s.inflight) if (sys.observes(g.conn)) return false;
  return true;
}

/**
 * The composed system explored no further than the states in which every
 * observed connection is over ({@link observedEnded}): those states are
 * kept and checked, their successors are not explored. Exact for every
 * property verdict and idle-gap window: only observed connections'
 * violations are checked, and none can follow (the unobserved connections
 * and the middleboxes may go on, but nothing they do is a violation of an
 * observed connection). Counterexample paths are unchanged: they end at a
 * violation, never past such a state. Used by `checkTopology` for the
 * products that do not decompose (README, "Products that do not decompose").
 */
export class StopAtObservedEnd implements TimedSystem<SystemState, SystemLabel> {
  constructor(readonly sys: ProductSystem) {}

  initial(): SystemState {
    return this.sys.initial();
  }

  clocks(s: SystemState): readonly ClockSpec[] {
    return this.sys.clocks(s);
  }

  key(s: SystemState): string {
    return this.sys.key(s);
  }

  urgent(s: SystemState): boolean {
    return this.sys.urgent(s);
  }

  /** Where exploration stops (protected: a mutant in test/fixtures/mutants.ts stops elsewhere). */
  protected stopsAt(s: SystemState): boolean {
    return observedEnded(this.sys, s);
  }

  successors(s: SystemState): readonly SystemEdge[] {
    return this.stopsAt(s) ? [] : this.sys.successors(s);
  }

  /** The product's lazy edges (targets built only when a zone enables them), cut at the same states as {@link successors}. */
  lazySuccessors(s: SystemState): readonly LazyEdge<SystemState, SystemLabel>[] {
    return this.stopsAt(s) ? [] : this.sys.lazySuccessors(s);
  }

  dropClocks(s: SystemState, clocks: readonly number[]): SystemState {
    return this.sys.dropClocks(s, clocks);
  }
}
