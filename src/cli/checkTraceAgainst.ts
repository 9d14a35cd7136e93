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
  const components = new Set(sys.layout.components.map((c) => c.name));
  for (const [i, st] of trace.steps.entries()) {
    const at = `steps[${i}]`;
    if (st.segment !== undefined && st.segment.conn >= t.connections) return `${at}.segment.conn: connection ${st.segment.conn}, but the scenario has ${t.connections} (0..${t.connections - 1})`;
    for (const [h, hop] of (st.hops ?? []).entries()) {
      for (const field of ['chosenTarget', 'target'] as const) {
        const v = hop[field];
        if (v !== undefined && v >= t.appliances.count) return `${at}.hops[${h}].${field}: appliance ${v}, but the scenario has ${t.appliances.count} (0..${t.appliances.count - 1})`;
      }
    }
    if (st.kind === 'app') {
      const m = /^(client|server)(\d+)$/.exec(st.actor);
      if (m === null || Number(m[2]) >= t.connections) return `${at}.actor: ${excerpt(st.actor)} is not an endpoint of the scenario (client0..client${t.connections - 1}, server0..server${t.connections - 1})`;
      if (st.action === undefined || !['APP_CONNECT', 'APP_SEND', 'APP_CLOSE'].includes(st.action)) return `${at}.action: ${excerpt(st.action)} is not an application action (APP_CONNECT, APP_SEND, APP_CLOSE)`;
    }
    if (st.kind === 'timer' && !components.has(st.actor)) return `${at}.actor: ${excerpt(st.actor)} is not a component of the scenario`;
  }
  return undefined;
}
