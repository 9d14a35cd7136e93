import * as z from 'zod';
import { awsNetworkFirewallConfigSchema } from '../models/awsNetworkFirewallConfig.ts';
import { azureLbConfigSchema } from '../models/azureLbConfig.ts';
import { azureNatGatewayConfigSchema } from '../models/azureNatGatewayConfig.ts';
import { ConfigError } from '../models/configError.ts';
import { eniConntrackConfigSchema } from '../models/eniConntrackConfig.ts';
import { gcpCloudNatConfigSchema } from '../models/gcpCloudNatConfig.ts';
import { gcpFirewallConfigSchema } from '../models/gcpFirewallConfig.ts';
import { HOP_KINDS } from '../models/hopKinds.ts';
import { linuxConntrackConfigSchema } from '../models/linuxConntrackConfig.ts';
import { natGatewayConfigSchema } from '../models/natGatewayConfig.ts';
import { nlbConfigSchema } from '../models/nlbConfig.ts';
import type { FlowHopKind } from '../system/topology.ts';
import { describeValue } from './describeValue.ts';
import { choice, choiceMessage, flag, wholeNumber, wholeNumberMessage, type WholeNumberSpec } from './fieldSchemas.ts';
import { HOP_FIELD_DESCRIPTIONS } from './hopFieldDescriptions.ts';
import { HOP_PRESETS } from './hopPresets.ts';
import { hopTypeMessage } from './hopTypeMessage.ts';
import { KEEPALIVE_LIMITS, KEEPALIVE_PRESETS } from './keepalivePresets.ts';
import { PROPERTY_IDS, type EndpointConfig, type Expectations, type Hop, type KeepaliveTimers, type Scenario } from './scenario.ts';

/*
 * The scenario file format, defined once. Everything else derives from it:
 * the `Scenario` type it resolves to, the JSON Schema in
 * schema/scenario.schema.json (scripts/genSchema.ts), the error messages.
 * Defaults are the real products' defaults (docs/domain-facts.md §1–§4).
 */

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Longest time a socket timer may be set to: Linux takes `TCP_USER_TIMEOUT` as an int of milliseconds (INT_MAX ms). */
const LONGEST_SECONDS = 2147483;

const seconds = (spec: Omit<WholeNumberSpec, 'unit'>) => wholeNumber({ ...spec, unit: 'seconds' });

const boundary = () =>
  choice(['open', 'closed', 'ambiguous']).meta({
    description:
      'Is a segment arriving exactly at the timeout still inside the flow? open: yes (AWS: "idle for longer than"); closed: no; ambiguous: explore both (docs/domain-facts.md §10).',
  });

const idleCloseSpec = { min: 1, max: LONGEST_SECONDS, unit: 'seconds' } as const;
const userTimeoutSpec = { min: 1, max: LONGEST_SECONDS, unit: 'seconds' } as const;

const keepaliveTimersSchema = z
  .strictObject({
    idle: seconds({ ...KEEPALIVE_LIMITS.idle, maxLabel: 'Linux maximum (MAX_TCP_KEEPIDLE)' })
      .default(KEEPALIVE_PRESETS.linux.idle)
      .meta({ description: 'TCP_KEEPIDLE: idle seconds before the first probe.' }),
    interval: seconds({ ...KEEPALIVE_LIMITS.interval, maxLabel: 'Linux maximum (MAX_TCP_KEEPINTVL)' })
      .default(KEEPALIVE_PRESETS.linux.interval)
      .meta({ description: 'TCP_KEEPINTVL: seconds between unanswered probes.' }),
    probes: wholeNumber({ ...KEEPALIVE_LIMITS.probes, unit: 'probes', maxLabel: 'Linux maximum (MAX_TCP_KEEPCNT)' })
      .default(KEEPALIVE_PRESETS.linux.probes)
      .meta({ description: 'TCP_KEEPCNT: unanswered probes before the socket aborts.' }),
  })
  .meta({ description: 'Explicit keepalive timers; omitted ones take the Linux defaults 7200/75/9.' });

const KEEPALIVE_NAMES = ['off', 'linux', 'windows', 'macos'] as const;

const keepaliveSchema = z
  .union([choice(KEEPALIVE_NAMES), z.literal(false), keepaliveTimersSchema], {
    error: (iss) => choiceMessage(iss.input, KEEPALIVE_NAMES, 'false, or { idle, interval, probes }'),
  })
  .default('off')
  .meta({
    description:
      'TCP keepalive: off (no SO_KEEPALIVE; false also means off), an OS default (linux 7200/75/9, windows 7200/1/10, macos 7200/75/8; docs/domain-facts.md §4), or explicit timers.',
  });

const endpointSchema = z
  .strictObject({
    keepalive: keepaliveSchema,
    idleClose: z
      .union([z.literal('never'), wholeNumber(idleCloseSpec)], {
        error: (iss) =>
          typeof iss.input === 'number' ? wholeNumberMessage(iss.input, idleCloseSpec) : choiceMessage(iss.input, ['never'], `or a whole number of seconds ${idleCloseSpec.min}..${idleCloseSpec.max}`),
      })
      .default('never')
      .meta({ description: 'Seconds of application idle after which this side closes the connection (FIN), or never.' }),
    closeOnPeerFin: flag().default(true).meta({ description: "Whether the application closes its side when the peer's FIN arrives." }),
    retries2: wholeNumber({ min: 1, max: 255, unit: 'retransmissions' })
      .default(15)
      .meta({ description: 'Linux tcp_retries2: retransmissions before the socket aborts with ETIMEDOUT (default 15: Linux aborts about 1044.6 s after the segment, one backoff after the 924.6 s bound of docs/domain-facts.md §4.1, as measured by the conformance lab).' }),
    userTimeout: z
      .union([z.literal('off'), z.literal(false), wholeNumber(userTimeoutSpec)], {
        error: (iss) =>
          typeof iss.input === 'number'
            ? wholeNumberMessage(iss.input, userTimeoutSpec)
            : choiceMessage(iss.input, ['off'], `false, or a whole number of seconds ${userTimeoutSpec.min}..${userTimeoutSpec.max}`),
      })
      .default('off')
      .meta({ description: 'TCP_USER_TIMEOUT in seconds, or off (not set; false also means off). Governs aborts while data is unacknowledged (docs/domain-facts.md §4.1).' }),
  })
  .prefault({});

/** Appliances behind a GWLB (`appliances.count`) or an Azure LB (`backends.count`): the one range the file format allows. */
const APPLIANCE_COUNT = { min: 1, max: 16, unit: 'appliances' } as const;

const applianceCount = () =>
  wholeNumber(APPLIANCE_COUNT)
    .default(2)
    .meta({ description: 'Number of appliances (targets) behind the GWLB. Default 2, as in KB 16099; with 1 the bug cannot show.' });

/** The count schema without its default, for {@link isApplianceCount}. */
const applianceCountValue = wholeNumber(APPLIANCE_COUNT);

/** A count the schema accepts (the same schema, so the two cannot drift); anything else has its own error already. */
const isApplianceCount = (v: unknown): v is number => v !== undefined && applianceCountValue.safeParse(v).success;

const rejectNonSynDescription = 'Drop a non-SYN segment that has no session, silently (PAN-OS tcp-reject-non-syn, docs/domain-facts.md §3.2).';

const panOsAppliancesSchema = z.strictObject({
  count: applianceCount(),
  type: z.literal('pan-os').default('pan-os').meta({ description: 'VM-Series firewall session semantics (docs/domain-facts.md §3).' }),
  tcpTimeout: seconds({ min: 1, max: 15_999_999, maxLabel: 'PAN-OS maximum' })
    .default(3600)
    .meta({ description: 'Established TCP session timeout, seconds (PAN-OS default 3600, range 1..15999999; docs/domain-facts.md §3.1).' }),
  rejectNonSyn: flag().default(true).meta({ description: rejectNonSynDescription }),
  boundary: boundary().default('open'),
});

const conntrackAppliancesSchema = z.strictObject({
  count: applianceCount(),
  type: z.literal('conntrack-loose').meta({ description: 'Linux conntrack with nf_conntrack_tcp_loose=1: adopts mid-stream flows (docs/domain-facts.md §2).' }),
  tcpTimeout: seconds({ min: 1, max: LONGEST_SECONDS })
    .default(432000)
    .meta({ description: 'nf_conntrack_tcp_timeout_established, seconds (default 432000).' }),
  rejectNonSyn: z
    .literal(false, {
      error: (iss) =>
        `${describeValue(iss.input)} is not allowed: conntrack-loose adopts mid-stream flows (nf_conntrack_tcp_loose=1) (allowed: false; use type: pan-os to reject non-SYN segments)`,
    })
    .default(false)
    .meta({ description: 'Always false: loose conntrack adopts mid-stream flows.' }),
  boundary: boundary().default('open'),
});

const APPLIANCE_TYPES = ['pan-os', 'conntrack-loose'] as const;

const appliancesSchema = z
  .discriminatedUnion('type', [panOsAppliancesSchema, conntrackAppliancesSchema], {
    error: (iss) =>
      isRecord(iss.input) ? choiceMessage(iss.input['type'], APPLIANCE_TYPES) : `expected a mapping of appliance settings (count, type, tcpTimeout, rejectNonSyn, boundary), got ${describeValue(iss.input)}`,
  })
  .prefault({})
  .meta({ description: 'The target group behind the GWLB: count identical appliances.' });

const gwlb = HOP_PRESETS.gwlb;
const gwlbRange = gwlb.range === 'fixed' || gwlb.range === 'unspecified' ? { min: gwlb.idleTimeout, max: gwlb.idleTimeout } : gwlb.range;

const hopNameSchema = () =>
  z
    .string({ error: (iss) => `expected a name, got ${describeValue(iss.input)}` })
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, { error: (iss) => `${describeValue(iss.input)} is not a valid hop name (allowed: 1..64 letters, digits, '_' or '-', starting with a letter or digit; no '.', which separates a hop from its parts in reports)` })
    .exactOptional()
    .meta({ description: 'Name of this hop in reports (traces, diagrams, captures), e.g. egress-nat. Default: its type.' });

const gwlbHopSchema = z
  .strictObject({
    type: z.literal('gwlb').meta({ description: `Hop type: ${HOP_KINDS.gwlb.label}.` }),
    name: hopNameSchema(),
    idleTimeout: seconds({ ...gwlbRange, minLabel: 'AWS minimum', maxLabel: 'AWS maximum' })
      .default(gwlb.idleTimeout)
      .meta({ description: 'tcp.idle_timeout.seconds: the GWLB forgets a TCP flow after this many idle seconds (default 350, 60..6000; docs/domain-facts.md §1.1).' }),
    stickiness: choice(['5-tuple', '3-tuple', '2-tuple'])
      .default('5-tuple')
      .meta({ description: 'Flow key: 5-tuple (default), 3-tuple (source_ip_dest_ip_proto) or 2-tuple (source_ip_dest_ip) (docs/domain-facts.md §1.3).' }),
    resetOnIdleTimeout: flag()
      .default(false)
      .meta({ description: 'send_tcp_reset.on_idle_timeout.enabled: answer the next segment of an expired flow with an RST to its sender (default false; docs/domain-facts.md §1.2).' }),
    unknownNonSyn: choice(['forward', 'drop'])
      .default('forward')
      .meta({ description: 'With reset off, a non-SYN segment with no flow entry is forwarded as a new flow (seed KB, default) or dropped (UNCONFIRMED alternative; docs/domain-facts.md §1.4).' }),
    boundary: boundary().default(gwlb.boundary),
    appliances: appliancesSchema,
  })
  .meta({ description: 'AWS Gateway Load Balancer with its appliance target group (docs/domain-facts.md §1).' });

/** Backends behind a choosing registry kind (Azure LB): an appliance group as behind a GWLB, optional. */
const backendsSchema = z
  .discriminatedUnion('type', [panOsAppliancesSchema, conntrackAppliancesSchema], {
    error: (iss) =>
      isRecord(iss.input) ? choiceMessage(iss.input['type'], APPLIANCE_TYPES) : `expected a mapping of backend settings (count, type, tcpTimeout, rejectNonSyn, boundary), got ${describeValue(iss.input)}`,
  })
  .exactOptional();

/** The standalone firewall kinds (not behind a GWLB): PAN-OS and loose conntrack sessions on the path itself. */
const FIREWALL_HOP_TYPES = ['pan-os', 'conntrack-loose'] as const;

const firewallTimeoutsSchema = z
  .strictObject({
    init: seconds({ min: 1, max: 15_999_999 }).exactOptional().meta({ description: 'PAN-OS timeout-tcpinit (conntrack syn_sent), seconds (docs/domain-facts.md §3.1).' }),
    handshake: seconds({ min: 1, max: 15_999_999 }).exactOptional().meta({ description: 'PAN-OS timeout-tcphandshake (conntrack syn_recv), seconds (docs/domain-facts.md §3.1).' }),
    halfClosed: seconds({ min: 1, max: 15_999_999 }).exactOptional().meta({ description: 'PAN-OS timeout-tcp-half-closed (conntrack fin_wait), seconds (docs/domain-facts.md §3.1).' }),
    timeWait: seconds({ min: 1, max: 15_999_999 }).exactOptional().meta({ description: 'PAN-OS timeout-tcp-time-wait (conntrack time_wait), seconds (docs/domain-facts.md §3.1).' }),
  })
  .exactOptional()
  .meta({ description: 'The session timeouts of the other TCP states; omitted ones keep the product defaults.' });

const panOsHopSchema = z
  .strictObject({
    type: z.literal('pan-os').meta({ description: `Hop type: ${HOP_KINDS['pan-os'].label}, directly on the path (${HOP_KINDS['pan-os'].description}).` }),
    name: hopNameSchema(),
    idleTimeout: seconds({ min: 1, max: 15_999_999, maxLabel: 'PAN-OS maximum' })
      .default(3600)
      .meta({ description: 'PAN-OS timeout-tcp (or an application override): established session timeout, seconds, default 3600 (docs/domain-facts.md §3.1).' }),
    rejectNonSyn: flag().default(true).meta({ description: rejectNonSynDescription }),
    timeouts: firewallTimeoutsSchema,
    boundary: boundary().default('ambiguous'),
  })
  .meta({ description: HOP_KINDS['pan-os'].description });

const conntrackLooseHopSchema = z
  .strictObject({
    type: z.literal('conntrack-loose').meta({ description: `Hop type: ${HOP_KINDS['conntrack-loose'].label}, directly on the path.` }),
    name: hopNameSchema(),
    idleTimeout: seconds({ min: 1, max: LONGEST_SECONDS })
      .default(432000)
      .meta({ description: 'sysctl net.netfilter.nf_conntrack_tcp_timeout_established, seconds, default 432000 (docs/domain-facts.md §2).' }),
    rejectNonSyn: z
      .literal(false, { error: (iss) => `${describeValue(iss.input)} is not allowed: conntrack-loose adopts mid-stream flows (nf_conntrack_tcp_loose=1) (allowed: false; use type: pan-os to reject non-SYN segments)` })
      .default(false)
      .meta({ description: 'Always false: loose conntrack adopts mid-stream flows.' }),
    timeouts: firewallTimeoutsSchema,
    boundary: boundary().default('ambiguous'),
  })
  .meta({ description: HOP_KINDS['conntrack-loose'].description });

/**
 * A registry kind's hop as the scenario format writes it: the kind's own zod
 * schema (src/models: fields, ranges, defaults, messages), each field
 * described with the vendor attribute it stands for, plus `type` and `name`.
 */
function flowHopSchema<K extends FlowHopKind>(kind: K, schema: z.ZodObject<z.ZodRawShape>, extra: z.ZodRawShape = {}) {
  const text = HOP_FIELD_DESCRIPTIONS[kind];
  const shape: Record<string, z.ZodType> = {};
  for (const [field, f] of Object.entries({ ...schema.shape, ...extra })) {
    if (field === 'type' || field === 'name') continue;
    const d = text[field];
    const fixed = field === 'idleTimeout' ? HOP_KINDS[kind].fixedIdleTimeout : undefined;
    shape[field] = d === undefined ? (f as z.ZodType) : (f as z.ZodType).meta({ description: d, ...(fixed === undefined ? {} : { const: fixed }) });
  }
  return z
    .strictObject({ type: z.literal(kind).meta({ description: `Hop type: ${HOP_KINDS[kind].label}.` }), name: hopNameSchema(), ...shape })
    .meta({ description: HOP_KINDS[kind].description });
}

const flowHopSchemas = [
  flowHopSchema('nat-gateway', natGatewayConfigSchema),
  flowHopSchema('nlb', nlbConfigSchema),
  flowHopSchema('eni-conntrack', eniConntrackConfigSchema),
  flowHopSchema('aws-network-firewall', awsNetworkFirewallConfigSchema),
  flowHopSchema('azure-lb', azureLbConfigSchema.omit({ targets: true }), { backends: backendsSchema }),
  flowHopSchema('azure-nat-gateway', azureNatGatewayConfigSchema),
  flowHopSchema('gcp-cloud-nat', gcpCloudNatConfigSchema),
  flowHopSchema('gcp-firewall', gcpFirewallConfigSchema),
  flowHopSchema('linux-conntrack', linuxConntrackConfigSchema),
] as const;

const hopSchema = z.discriminatedUnion('type', [gwlbHopSchema, panOsHopSchema, conntrackLooseHopSchema, ...flowHopSchemas], {
  error: (iss) => (isRecord(iss.input) ? hopTypeMessage(iss.input['type']) : `expected a hop (a mapping with a type, e.g. type: gwlb), got ${describeValue(iss.input)}`),
});

/** Most hops the file format can describe. */
const MAX_HOPS = 8;


const pathSchema = z
  .array(hopSchema, { error: (iss) => (iss.input === undefined ? 'required field is missing (a list of hops, e.g. - type: gwlb)' : `expected a list of hops, got ${describeValue(iss.input)}`) })
  .min(1, { error: 'must list at least one hop (e.g. - type: gwlb)' })
  .max(MAX_HOPS, { error: (iss) => `has ${Array.isArray(iss.input) ? iss.input.length : 'too many'} hops (allowed 1..${MAX_HOPS})` })
  .meta({ description: 'The middleboxes from client to server, in order.' });

const ipv4 = (fallback: string, description: string) =>
  z
    .ipv4({ error: (iss) => `expected an IPv4 address such as ${fallback}, got ${describeValue(iss.input)}` })
    .default(fallback)
    .meta({ description });

/** Default addresses: the ones in KB 16099's packet captures; the server's first octet is redacted there, 198.18.0.0/15 (RFC 2544) stands in. */
const addressesSchema = z
  .strictObject({
    client: ipv4('172.21.43.170', 'Client address (KB 16099: 172.21.43.170).'),
    server: ipv4('198.18.226.52', 'Server address (KB 16099 redacts it as XXX.18.226.52; default 198.18.226.52).'),
    gwlb: ipv4('172.21.200.78', 'GWLB node, outer source of the GENEVE tunnel (KB 16099: 172.21.200.78).'),
    appliance0: ipv4('172.21.200.84', 'First appliance; appliance i gets this address plus i (KB 16099: 172.21.200.84).'),
  })
  .prefault({})
  .meta({ description: 'IPv4 addresses used when rendering traces. Defaults are those of KB 16099.' });

const expectationsShape = Object.fromEntries(
  PROPERTY_IDS.map((id) => [id, choice(['holds', 'violated', 'any']).exactOptional()] as const),
) as { [K in (typeof PROPERTY_IDS)[number]]: z.ZodExactOptional<ReturnType<typeof choice<readonly ['holds', 'violated', 'any']>>> };

const expectSchema = z
  .strictObject(expectationsShape)
  .prefault({})
  .meta({ description: 'What this scenario must show, per property id: holds, violated, or any (ignored). A property not listed must hold.' });

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const inputSchema = z
  .strictObject(
    {
      $schema: z.string().exactOptional().meta({ description: 'Path or URL of this JSON Schema, for editors. Ignored by midpath.' }),
      name: z
        .string({ error: (iss) => (iss.input === undefined ? 'required field is missing (a short identifier such as kb-16099)' : `expected a name, got ${describeValue(iss.input)}`) })
        .regex(NAME_PATTERN, { error: (iss) => `${describeValue(iss.input)} is not a valid name (allowed: 1..64 letters, digits, '.', '_' or '-', starting with a letter or digit)` })
        .meta({ description: 'Identifier used in reports and file names, e.g. kb-16099.' }),
      description: z
        .string({ error: (iss) => `expected text, got ${describeValue(iss.input)}` })
        .max(4000, { error: 'is longer than 4000 characters' })
        .default('')
        .meta({ description: 'What the scenario shows, in words.' }),
      connections: wholeNumber({ min: 1, max: 3, unit: 'connections' })
        .default(1)
        .meta({ description: 'Number of concurrent connections between client and server.' }),
      client: endpointSchema.meta({ description: 'The client endpoint (it opened the connection).' }),
      server: endpointSchema.meta({ description: 'The server endpoint.' }),
      path: pathSchema,
      addresses: addressesSchema,
      expect: expectSchema,
    },
    { error: (iss) => `expected a mapping of scenario fields (name, path, client, server, …) at the top level, got ${describeValue(iss.input)}` },
  )
  .superRefine((s, ctx) => {
    // What a kind's schema cannot say alone (e.g. an Azure LB's range per rule kind): its config parser decides.
    s.path.forEach((h, i) => {
      if (!isFlowHopType(h.type)) return;
      const { backends, name: _name, ...fields } = h as Record<string, unknown>;
      // `backends.count` is the user's field for the parser's `targets`: its schema checks it (one error, on that
      // field, with the range the file format allows), so the parser gets it only when valid (else its default),
      // and a parser error on `targets` is put back on `backends.count` (never a field the user did not write).
      const count = isRecord(backends) ? backends['count'] : undefined;
      try {
        HOP_KINDS[h.type].parseConfig({ ...fields, ...(isApplianceCount(count) ? { targets: count } : {}) }, '');
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        const field = e.field.split('.').filter((x) => x !== '');
        const message = e.message.startsWith(`${e.field}: `) ? e.message.slice(e.field.length + 2) : e.message;
        const written = field[0] === 'targets' && 'backends' in h ? ['backends', 'count', ...field.slice(1)] : field;
        ctx.addIssue({ code: 'custom', path: ['path', i, ...written], message });
      }
    });
    // Only valid counts: an invalid one has its own error, and no room for 100000 addresses would only repeat it.
    const counts = s.path.map((h) => ('appliances' in h ? h.appliances.count : 'backends' in h && isRecord(h.backends) ? h.backends['count'] : 1)).filter(isApplianceCount);
    const first = ipv4ToNumber(s.addresses.appliance0);
    const maxCount = Math.max(1, ...counts);
    if (Number.isFinite(first) && first + maxCount - 1 > 0xffffffff) {
      ctx.addIssue({ code: 'custom', path: ['addresses', 'appliance0'], message: `${s.addresses.appliance0} leaves no room for ${maxCount} consecutive appliance addresses` });
    }
  });

function isFlowHopType(type: string): type is FlowHopKind {
  return type !== 'gwlb' && !(FIREWALL_HOP_TYPES as readonly string[]).includes(type);
}

const resolveHop = (h: z.output<typeof hopSchema>): Hop => {
  const name = h.name === undefined ? {} : { name: h.name };
  if (h.type === 'gwlb') {
    return {
      type: h.type,
      ...name,
      idleTimeout: h.idleTimeout,
      stickiness: h.stickiness,
      resetOnIdleTimeout: h.resetOnIdleTimeout,
      unknownNonSyn: h.unknownNonSyn,
      boundary: h.boundary,
      appliances: { ...h.appliances },
    };
  }
  if (h.type === 'pan-os' || h.type === 'conntrack-loose') {
    return { type: h.type, ...name, idleTimeout: h.idleTimeout, rejectNonSyn: h.rejectNonSyn, ...(h.timeouts === undefined ? {} : { timeouts: { ...h.timeouts } }), boundary: h.boundary };
  }
  return { ...(h as Record<string, unknown>), type: h.type } as Hop;
};

/** The dotted-quad address as an unsigned 32-bit number. */
export function ipv4ToNumber(address: string): number {
  return address.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

const resolveKeepalive = (k: z.output<typeof keepaliveSchema>): 'off' | KeepaliveTimers => {
  if (k === false || k === 'off') return 'off';
  if (typeof k === 'string') return { ...KEEPALIVE_PRESETS[k] };
  return { idle: k.idle, interval: k.interval, probes: k.probes };
};

const resolveEndpoint = (e: z.output<typeof endpointSchema>): EndpointConfig => ({
  keepalive: resolveKeepalive(e.keepalive),
  idleClose: e.idleClose,
  closeOnPeerFin: e.closeOnPeerFin,
  retries2: e.retries2,
  userTimeout: e.userTimeout === false ? 'off' : e.userTimeout,
});

const resolveExpect = (e: z.output<typeof expectSchema>): Expectations => {
  const out: { [K in (typeof PROPERTY_IDS)[number]]?: 'holds' | 'violated' | 'any' } = {};
  for (const id of PROPERTY_IDS) {
    const v = e[id];
    if (v !== undefined) out[id] = v;
  }
  return out;
};

/**
 * The scenario schema: validates a parsed scenario file (YAML or JSON) and
 * resolves it to a {@link Scenario} with every default filled in. Its input
 * side is published as schema/scenario.schema.json.
 *
 * Prefer `validateScenario`, which turns failures into a `ScenarioError`
 * with readable messages; parse with this directly only to compose schemas.
 */
export const scenarioSchema = inputSchema
  .transform(
    (s): Scenario => ({
      name: s.name,
      description: s.description,
      connections: s.connections,
      client: resolveEndpoint(s.client),
      server: resolveEndpoint(s.server),
      path: s.path.map(resolveHop),
      addresses: { ...s.addresses },
      expect: resolveExpect(s.expect),
    }),
  )
  .meta({
    title: 'midpath scenario',
    description:
      'A midpath scenario: TCP endpoints and the middleboxes between them, in order from the client: load balancers, NAT gateways, firewalls, connection tracking. Omitted fields take the real products\' defaults. See docs/domain-facts.md.',
  });

/** The file format as zod sees it before defaults and resolution (the JSON Schema's source). */
export type ScenarioInput = z.input<typeof scenarioSchema>;
