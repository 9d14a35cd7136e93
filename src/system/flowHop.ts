import { HOP_KINDS } from '../models/hopKinds.ts';
import type { ApplianceGroup, FlowHopKind, FlowHopSpec } from './topology.ts';

/**
 * A {@link FlowHopSpec} of a registry kind from its raw fields (as a
 * scenario writes them: `idleTimeout` in seconds, `boundary`, the kind's own
 * fields), parsed by the kind's config parser (src/models/hopKinds.ts), which
 * fills in defaults and throws a `ConfigError` naming the field (prefixed
 * with `path`) and the allowed range.
 */
export function flowHop(type: FlowHopKind, raw: Readonly<Record<string, unknown>> = {}, options: { readonly name?: string; readonly backends?: ApplianceGroup; readonly path?: string } = {}): FlowHopSpec {
  const def = HOP_KINDS[type];
  const config = def.parseConfig({ ...raw, ...(options.backends ? { targets: options.backends.count } : {}) }, options.path ?? '');
  return { kind: 'flow', type, config, ...(options.name === undefined ? {} : { name: options.name }), ...(options.backends ? { backends: options.backends } : {}) } as FlowHopSpec;
}
