import * as z from 'zod';
import { HOP_KIND_NAMES, HOP_KINDS } from '../models/hopKinds.ts';
import type { FlowHopKind } from '../system/topology.ts';

/** Longest timer a scenario may set, in seconds (the scenario schema's limit, about 24.8 days). */
const LONGEST_SECONDS = 2147483;
const seconds = z.number().finite().positive().max(LONGEST_SECONDS);
const whole = (min: number, max: number) => z.number().int().min(min).max(max);
const boundary = z.enum(['open', 'closed', 'ambiguous']);

const keepalive = z.union([
  z.literal('off'),
  z.strictObject({ idle: whole(1, 32767), interval: whole(1, 32767), probes: whole(1, 127), preset: z.enum(['linux', 'windows', 'macos', 'custom']) }),
]);
const endpoint = z.strictObject({
  keepalive,
  idleClose: z.union([z.literal('never'), seconds]),
  closeOnPeerFin: z.boolean(),
  retries2: whole(1, 255),
  userTimeout: seconds.exactOptional(),
  rtoMin: seconds,
  rtoMax: seconds,
  timeWait: seconds,
  finTimeout: seconds,
});

const gwlbSettings = z.strictObject({
  idleTimeout: seconds,
  stickiness: z.enum(['5-tuple', '3-tuple', '2-tuple']),
  unknownNonSyn: z.enum(['forward', 'drop']),
  resetOnIdleTimeout: z.boolean(),
  boundary,
});
const firewall = z.strictObject({
  kind: z.enum(['pan-os', 'conntrack-loose']),
  rejectNonSyn: z.boolean(),
  timeouts: z.strictObject({ init: seconds, handshake: seconds, established: seconds, halfClosed: seconds, timeWait: seconds }),
});
const appliances = z.strictObject({ count: whole(1, 16), firewall, boundary });
const hopName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/).exactOptional();
const FLOW_KINDS = HOP_KIND_NAMES.filter((k) => k !== 'gwlb' && k !== 'pan-os' && k !== 'conntrack-loose') as [FlowHopKind, ...FlowHopKind[]];

/** One hop of a trace's topology (topology.ts `HopSpec`); a registry kind's config must pass that kind's own parser. */
const hopSpec = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('gwlb'), name: hopName, gwlb: gwlbSettings, appliances }),
  z.strictObject({ kind: z.literal('firewall'), name: hopName, firewall, boundary }),
  z
    .strictObject({ kind: z.literal('flow'), type: z.enum(FLOW_KINDS), name: hopName, config: z.record(z.string(), z.unknown()), backends: appliances.exactOptional() })
    .superRefine((h, ctx) => {
      const def = HOP_KINDS[h.type];
      // a parsed config carries `targets` (1 for a kind that does not choose), which only a choosing kind's fields accept
      const { targets, ...fields } = h.config;
      try {
        def.parseConfig(def.choosesTarget ? { ...fields, targets } : fields, 'config');
      } catch (e) {
        ctx.addIssue({ code: 'custom', path: ['config'], message: e instanceof Error ? e.message : String(e) });
      }
    }),
]);

/**
 * The resolved topology a trace carries (src/system/topology.ts), with the
 * ranges of the scenario format (1–3 connections, 1–16 appliances, timers
 * up to 2147483 s), so a hostile trace cannot build a system a scenario
 * file could not.
 */
export const topologySchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/),
  connections: whole(1, 3),
  client: endpoint,
  server: endpoint,
  path: z.array(hopSpec).min(1).max(8),
  environment: z.strictObject({ clientSends: z.boolean(), clientCloses: z.boolean(), serverSends: z.boolean(), serverCloses: z.boolean(), connectAtStart: z.boolean().exactOptional() }),
  perConnection: z.array(z.strictObject({ client: endpoint.partial().exactOptional(), server: endpoint.partial().exactOptional() })).max(3).exactOptional(),
  timeScale: whole(1, 1000).exactOptional(),
});

const role = z.enum(['client', 'server']);
const index = whole(0, 1023);
const hop = z.object({
  component: z.string().max(200),
  action: z.enum(['forward', 'drop', 'reset', 'deliver']),
  chosenTarget: index.optional(),
  target: index.optional(),
  reason: z.string().max(200).optional(),
  resetTo: z.enum(['client', 'server', 'both']).optional(),
});
const step = z.object({
  time: z.number().finite().nonnegative().max(1e9),
  kind: z.enum(['init', 'timer', 'app', 'segment']),
  actor: z.string().max(200),
  text: z.string().max(4000),
  segment: z.object({ conn: index, from: role, kind: z.enum(['syn', 'synAck', 'ack', 'data', 'fin', 'rst', 'keepalive']), retransmit: z.boolean().optional() }).optional(),
  hops: z.array(hop).max(64).optional(),
  outcome: z.enum(['delivered', 'dropped', 'reset']).optional(),
  action: z.string().max(200).optional(),
  timer: z.string().max(200).optional(),
  logs: z.array(z.object({ component: z.string().max(200), conn: index, reason: z.string().max(200) })).max(64),
  states: z.record(z.string().max(200), z.string().max(2000)),
  context: z.record(z.string().max(200), z.string().max(2000)).optional(),
  clocks: z.array(z.string().max(400)),
  zone: z.array(z.string().max(400)).optional(),
  violates: z.array(z.string().max(200)),
});

/** A `*.trace.json` document (format `midpath-trace/1`), every field bounded. */
export const traceSchema = z
  .object({
    format: z.literal('midpath-trace/1'),
    scenario: z.string().max(200),
    property: z.string().max(200),
    violationStep: index.max(100_000),
    steps: z.array(step).min(1).max(100_000),
    topology: topologySchema.optional(),
  })
  .refine((t) => t.violationStep < t.steps.length, { message: 'is past the last step', path: ['violationStep'] });
