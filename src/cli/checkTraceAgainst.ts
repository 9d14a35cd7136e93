import type { ProductSystem } from '../system/product.ts';
import type { Trace } from '../system/trace.ts';
import { excerpt } from './escapeText.ts';

/**
 * The first reference of a trace that its system does not have, as
 * `field: message`: a connection, an appliance (`chosenTarget`, `target`),
 * an application actor or a timer's component. Undefined when every
 * reference exists, so the replay cannot fail on a name or index.
 */
export function checkTraceAgainst(trace: Trace, sys: ProductSystem): string | undefined {
  const t = sys.topology;
  // components are looked up by name, never parsed
  const byName = new Map(sys.layout.components.map((c) => [c.name, c.ref] as const));
  for (const [i, st] of trace.steps.entries()) {
    const at = `steps[${i}]`;
    if (st.segment !== undefined && st.segment.conn >= t.connections) return `${at}.segment.conn: connection ${st.segment.conn}, but the scenario has ${t.connections} (0..${t.connections - 1})`;
    for (const [h, hop] of (st.hops ?? []).entries()) {
      const ref = byName.get(hop.component);
      const count = ref === undefined || ref.kind === 'endpoint' ? 0 : (sys.layout.hops[ref.hop]?.targetCount ?? 0);
      for (const field of ['chosenTarget', 'target'] as const) {
        const v = hop[field];
        if (v !== undefined && v >= count) return `${at}.hops[${h}].${field}: appliance ${v}, but the scenario has ${count} (0..${count - 1}) at ${excerpt(hop.component)}`;
      }
    }
    if (st.kind === 'app') {
      if (byName.get(st.actor)?.kind !== 'endpoint') return `${at}.actor: ${excerpt(st.actor)} is not an endpoint of the scenario (client0..client${t.connections - 1}, server0..server${t.connections - 1})`;
      if (st.action === undefined || !['APP_CONNECT', 'APP_SEND', 'APP_CLOSE'].includes(st.action)) return `${at}.action: ${excerpt(st.action)} is not an application action (APP_CONNECT, APP_SEND, APP_CLOSE)`;
    }
    if (st.kind === 'timer' && !byName.has(st.actor)) return `${at}.actor: ${excerpt(st.actor)} is not a component of the scenario`;
  }
  return undefined;
}
