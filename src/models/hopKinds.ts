/**
 * The registry of hop kinds (hop-contract.md): per scenario `type` string,
 * the xstate machine that models ONE flow-table entry of that hop, its config
 * parser, machine id, named delays, default boundary, a one-line description
 * citing domain-facts, and `fixedIdleTimeout` where the vendor fixes it. The
 * composition (src/system) imports only this registry and segment.ts.
 *
 * Every parser takes `(raw, path)`: `raw` is the hop object as written (its
 * `type` and `name` are accepted and left out of the result), `path` prefixes
 * the field names in errors (e.g. `path.2`). Every parsed config carries
 * {@link HopConfigBase}: `idleTimeout` in seconds, `boundary`, `targets`.
 */
import type { AnyStateMachine, SnapshotFrom } from 'xstate';
import {
  AWS_NETWORK_FIREWALL_BOUNDARY,
  AWS_NETWORK_FIREWALL_IDLE_TIMEOUT_RANGE,
  awsNetworkFirewallConfigSchema,
  parseAwsNetworkFirewallConfig,
  type AwsNetworkFirewallConfig,
} from './awsNetworkFirewallConfig.ts';
import {
  AWS_NETWORK_FIREWALL_DELAYS,
  AWS_NETWORK_FIREWALL_FLOW_MACHINE_ID,
  awsNetworkFirewallFlowMachine,
} from './awsNetworkFirewallFlowMachine.ts';
import { AZURE_LB_BOUNDARY, AZURE_LB_IDLE_TIMEOUT_RANGES, azureLbConfigSchema, parseAzureLbConfig, type AzureLbConfig } from './azureLbConfig.ts';
import {
  AZURE_LB_DELAYS,
  AZURE_LB_FLOW_MACHINE_ID,
  azureLbFlowMachine,
  needsTargetChoice as azureLbNeedsTargetChoice,
} from './azureLbFlowMachine.ts';
import {
  AZURE_NAT_GATEWAY_BOUNDARY,
  AZURE_NAT_GATEWAY_IDLE_TIMEOUT_RANGE,
  azureNatGatewayConfigSchema,
  parseAzureNatGatewayConfig,
  type AzureNatGatewayConfig,
} from './azureNatGatewayConfig.ts';
import { AZURE_NAT_GATEWAY_DELAYS, AZURE_NAT_GATEWAY_FLOW_MACHINE_ID, azureNatGatewayFlowMachine } from './azureNatGatewayFlowMachine.ts';
import {
  ENI_CONNTRACK_BOUNDARY,
  ENI_CONNTRACK_IDLE_TIMEOUT_RANGE,
  eniConntrackConfigSchema,
  parseEniConntrackConfig,
  type EniConntrackConfig,
} from './eniConntrackConfig.ts';
import { ENI_CONNTRACK_DELAYS, ENI_CONNTRACK_FLOW_MACHINE_ID, eniConntrackFlowMachine } from './eniConntrackFlowMachine.ts';
import {
  conntrackLooseHopSchema,
  FIREWALL_HOP_BOUNDARY,
  GWLB_BOUNDARY,
  GWLB_HOP_IDLE_TIMEOUT_RANGE,
  panOsHopSchema,
  parseConntrackLooseHopConfig,
  parseGwlbHopConfig,
  parsePanOsHopConfig,
  type FirewallHopConfig,
  type GwlbHopConfig,
} from './existingHopConfigs.ts';
import { FIREWALL_TIMEOUT_RANGE } from './firewallConfig.ts';
import { FIREWALL_DELAYS, FIREWALL_SESSION_MACHINE_ID, firewallSessionMachine } from './firewallSessionMachine.ts';
import {
  GCP_CLOUD_NAT_BOUNDARY,
  GCP_CLOUD_NAT_DEFAULTS,
  GCP_CLOUD_NAT_TIMEOUT_RANGE,
  gcpCloudNatConfigSchema,
  parseGcpCloudNatConfig,
  type GcpCloudNatConfig,
} from './gcpCloudNatConfig.ts';
import { GCP_CLOUD_NAT_DELAYS, GCP_CLOUD_NAT_FLOW_MACHINE_ID, gcpCloudNatFlowMachine } from './gcpCloudNatFlowMachine.ts';
import {
  GCP_FIREWALL_BOUNDARY,
  GCP_FIREWALL_IDLE_TIMEOUT,
  gcpFirewallConfigSchema,
  parseGcpFirewallConfig,
  type GcpFirewallConfig,
} from './gcpFirewallConfig.ts';
import { GCP_FIREWALL_DELAYS, GCP_FIREWALL_FLOW_MACHINE_ID, gcpFirewallFlowMachine } from './gcpFirewallFlowMachine.ts';
import { GWLB_FLOW_MACHINE_ID, GWLB_IDLE_DELAY, gwlbFlowMachine, needsTargetChoice as gwlbNeedsTargetChoice } from './gwlbFlowMachine.ts';
import type { HopBoundary, HopConfigBase, HopSchema } from './hopConfig.ts';
import {
  LINUX_CONNTRACK_BOUNDARY,
  LINUX_CONNTRACK_ESTABLISHED_DEFAULT,
  LINUX_CONNTRACK_TIMEOUT_RANGE,
  linuxConntrackConfigSchema,
  parseLinuxConntrackConfig,
  type LinuxConntrackConfig,
} from './linuxConntrackConfig.ts';
import { LINUX_CONNTRACK_DELAYS, LINUX_CONNTRACK_FLOW_MACHINE_ID, linuxConntrackFlowMachine } from './linuxConntrackFlowMachine.ts';
import {
  NAT_GATEWAY_BOUNDARY,
  NAT_GATEWAY_IDLE_TIMEOUT,
  natGatewayConfigSchema,
  parseNatGatewayConfig,
  type NatGatewayConfig,
} from './natGatewayConfig.ts';
import { NAT_GATEWAY_DELAYS, NAT_GATEWAY_FLOW_MACHINE_ID, natGatewayFlowMachine } from './natGatewayFlowMachine.ts';
import { NLB_BOUNDARY, NLB_IDLE_TIMEOUT_RANGE, nlbConfigSchema, parseNlbConfig, type NlbConfig } from './nlbConfig.ts';
import { NLB_DELAYS, NLB_FLOW_MACHINE_ID, nlbFlowMachine } from './nlbFlowMachine.ts';
import type { Segment } from './segment.ts';

/** Range of a hop's main idle timeout in seconds, with its default. */
export interface IdleTimeoutRange {
  readonly min: number;
  readonly max: number;
  readonly default: number;
}

/** What the registry knows about one hop kind. */
export interface HopKindDefinition<TConfig extends HopConfigBase, TMachine extends AnyStateMachine> {
  /** The scenario `type` string. */
  readonly kind: string;
  /** Product name for reports, e.g. `AWS NAT gateway`. */
  readonly label: string;
  /** The machine of ONE flow-table entry; its input is the parsed config. */
  readonly machine: TMachine;
  /** The machine's id (part of its after-event types). */
  readonly machineId: string;
  /** Validates a raw hop object and fills in defaults; throws `ConfigError`. */
  readonly parseConfig: (raw: unknown, path?: string) => TConfig;
  /** The named delays of the machine's `after` timers. */
  readonly delays: readonly string[];
  /** The boundary documented by the vendor's wording (domain-facts §10, §11.2). */
  readonly defaultBoundary: HopBoundary;
  /** One line, citing domain-facts. */
  readonly description: string;
  /** The range of `idleTimeout` (seconds); for a fixed one, min = max = default. */
  readonly idleTimeoutRange: IdleTimeoutRange;
  /** Set when the vendor fixes the idle timeout: any other value is refused. */
  readonly fixedIdleTimeout?: number;
  /** True when a new flow picks one of `targets` (the engine's free choice, `SEG_IN.target`). */
  readonly choosesTarget: boolean;
  /** For a choosing kind: whether `seg` would create a new flow here and so needs a target. */
  readonly needsTargetChoice?: (snapshot: SnapshotFrom<TMachine>, seg: Segment) => boolean;
  /** True when the machine may emit `FLOW_TIMEOUT_RESET` (a proactive RST to both endpoints). */
  readonly proactiveReset: boolean;
  /**
   * The zod schema of the hop object (input side, every field with a
   * `.meta({ description })` naming the vendor attribute), for the JSON Schema
   * and the field reference. Absent for `gwlb`, whose fields the scenario
   * schema's gwlb hop defines.
   */
  readonly schema?: HopSchema;
}

/** Builds a definition, keeping its config and machine types. */
function define<TConfig extends HopConfigBase, TMachine extends AnyStateMachine>(
  d: HopKindDefinition<TConfig, TMachine>,
): HopKindDefinition<TConfig, TMachine> {
  return Object.freeze(d);
}

/**
 * Every hop kind midpath models, keyed by its scenario `type` string.
 * Existing kinds: `gwlb` (with appliances; the composition builds the
 * appliances) and `pan-os` / `conntrack-loose` as standalone firewall hops.
 */
export const HOP_KINDS = {
  gwlb: define<GwlbHopConfig, typeof gwlbFlowMachine>({
    kind: 'gwlb',
    label: 'AWS Gateway Load Balancer',
    machine: gwlbFlowMachine,
    machineId: GWLB_FLOW_MACHINE_ID,
    parseConfig: parseGwlbHopConfig,
    delays: [GWLB_IDLE_DELAY],
    defaultBoundary: GWLB_BOUNDARY,
    description:
      'AWS GWLB flow entry: 350 s default (60..6000), pinned to one appliance, silent; a late segment becomes a new flow on any appliance (domain-facts §1.1–§1.4)',
    idleTimeoutRange: GWLB_HOP_IDLE_TIMEOUT_RANGE,
    choosesTarget: true,
    needsTargetChoice: gwlbNeedsTargetChoice,
    proactiveReset: false,
  }),
  'pan-os': define<FirewallHopConfig, typeof firewallSessionMachine>({
    kind: 'pan-os',
    schema: panOsHopSchema,
    label: 'Palo Alto Networks PAN-OS firewall',
    machine: firewallSessionMachine,
    machineId: FIREWALL_SESSION_MACHINE_ID,
    parseConfig: parsePanOsHopConfig,
    delays: Object.values(FIREWALL_DELAYS),
    defaultBoundary: FIREWALL_HOP_BOUNDARY,
    description:
      'PAN-OS session: established 3600 s, ages out silently; tcp-reject-non-syn drops a non-SYN segment with no session (domain-facts §3.1–§3.3)',
    idleTimeoutRange: { min: FIREWALL_TIMEOUT_RANGE.min, max: FIREWALL_TIMEOUT_RANGE.max, default: 3600 },
    choosesTarget: false,
    proactiveReset: false,
  }),
  'conntrack-loose': define<FirewallHopConfig, typeof firewallSessionMachine>({
    kind: 'conntrack-loose',
    schema: conntrackLooseHopSchema,
    label: 'Linux conntrack appliance (loose)',
    machine: firewallSessionMachine,
    machineId: FIREWALL_SESSION_MACHINE_ID,
    parseConfig: parseConntrackLooseHopConfig,
    delays: Object.values(FIREWALL_DELAYS),
    defaultBoundary: FIREWALL_HOP_BOUNDARY,
    description:
      'Linux conntrack appliance with nf_conntrack_tcp_loose=1: established 432000 s, adopts mid-stream flows (domain-facts §2, consequence 4)',
    idleTimeoutRange: { min: FIREWALL_TIMEOUT_RANGE.min, max: FIREWALL_TIMEOUT_RANGE.max, default: 432_000 },
    choosesTarget: false,
    proactiveReset: false,
  }),
  'nat-gateway': define<NatGatewayConfig, typeof natGatewayFlowMachine>({
    kind: 'nat-gateway',
    schema: natGatewayConfigSchema,
    label: 'AWS NAT gateway',
    machine: natGatewayFlowMachine,
    machineId: NAT_GATEWAY_FLOW_MACHINE_ID,
    parseConfig: parseNatGatewayConfig,
    delays: NAT_GATEWAY_DELAYS,
    defaultBoundary: NAT_GATEWAY_BOUNDARY,
    description:
      'AWS NAT gateway mapping: 350 s fixed, closed boundary; a late inside segment gets an RST to its sender, an internet-side one per lateSegmentFromOutside (domain-facts §2, §10, §11.1)',
    idleTimeoutRange: { min: NAT_GATEWAY_IDLE_TIMEOUT, max: NAT_GATEWAY_IDLE_TIMEOUT, default: NAT_GATEWAY_IDLE_TIMEOUT },
    fixedIdleTimeout: NAT_GATEWAY_IDLE_TIMEOUT,
    choosesTarget: false,
    proactiveReset: false,
  }),
  nlb: define<NlbConfig, typeof nlbFlowMachine>({
    kind: 'nlb',
    schema: nlbConfigSchema,
    label: 'AWS Network Load Balancer (TCP)',
    machine: nlbFlowMachine,
    machineId: NLB_FLOW_MACHINE_ID,
    parseConfig: parseNlbConfig,
    delays: NLB_DELAYS,
    defaultBoundary: NLB_BOUNDARY,
    description:
      'AWS NLB TCP flow: 350 s default (60..6000), open boundary; a late segment from either side gets an RST to its sender; closed and reset flows are not tracked (domain-facts §2, §11.2)',
    idleTimeoutRange: NLB_IDLE_TIMEOUT_RANGE,
    choosesTarget: false,
    proactiveReset: false,
  }),
  'eni-conntrack': define<EniConntrackConfig, typeof eniConntrackFlowMachine>({
    kind: 'eni-conntrack',
    schema: eniConntrackConfigSchema,
    label: 'EC2 ENI connection tracking (security groups)',
    machine: eniConntrackFlowMachine,
    machineId: ENI_CONNTRACK_FLOW_MACHINE_ID,
    parseConfig: parseEniConntrackConfig,
    delays: ENI_CONNTRACK_DELAYS,
    defaultBoundary: ENI_CONNTRACK_BOUNDARY,
    description:
      'EC2 security-group tracking: TcpEstablishedTimeout 432000 s default (350 on Nitro v6), 60..432000, silent; a late segment is passed and re-tracked or dropped per lateSegment (domain-facts §1.1, §2, §11.2)',
    idleTimeoutRange: ENI_CONNTRACK_IDLE_TIMEOUT_RANGE,
    choosesTarget: false,
    proactiveReset: false,
  }),
  'aws-network-firewall': define<AwsNetworkFirewallConfig, typeof awsNetworkFirewallFlowMachine>({
    kind: 'aws-network-firewall',
    schema: awsNetworkFirewallConfigSchema,
    label: 'AWS Network Firewall',
    machine: awsNetworkFirewallFlowMachine,
    machineId: AWS_NETWORK_FIREWALL_FLOW_MACHINE_ID,
    parseConfig: parseAwsNetworkFirewallConfig,
    delays: AWS_NETWORK_FIREWALL_DELAYS,
    defaultBoundary: AWS_NETWORK_FIREWALL_BOUNDARY,
    description:
      'AWS Network Firewall flow: TcpIdleTimeoutSeconds 350 default (60..6000); after expiry non-SYN segments are dropped silently, the next SYN is a new flow (domain-facts §2, §11.2)',
    idleTimeoutRange: AWS_NETWORK_FIREWALL_IDLE_TIMEOUT_RANGE,
    choosesTarget: false,
    proactiveReset: false,
  }),
  'azure-lb': define<AzureLbConfig, typeof azureLbFlowMachine>({
    kind: 'azure-lb',
    schema: azureLbConfigSchema,
    label: 'Azure Load Balancer (Standard)',
    machine: azureLbFlowMachine,
    machineId: AZURE_LB_FLOW_MACHINE_ID,
    parseConfig: parseAzureLbConfig,
    delays: AZURE_LB_DELAYS,
    defaultBoundary: AZURE_LB_BOUNDARY,
    description:
      'Azure LB flow: 4 min default (4..100 min, outbound rules 4..120), silent; tcpReset: RST to both endpoints at the timeout, ESTABLISHED only; an expired flow\'s next segment is a new flow on any backend (domain-facts §2, §11.1, §11.2)',
    // The widest range (outbound rules); load-balancing and inbound NAT rules stop at 6000 (ruleKind).
    idleTimeoutRange: AZURE_LB_IDLE_TIMEOUT_RANGES.outbound,
    choosesTarget: true,
    needsTargetChoice: azureLbNeedsTargetChoice,
    proactiveReset: true,
  }),
  'azure-nat-gateway': define<AzureNatGatewayConfig, typeof azureNatGatewayFlowMachine>({
    kind: 'azure-nat-gateway',
    schema: azureNatGatewayConfigSchema,
    label: 'Azure NAT gateway',
    machine: azureNatGatewayFlowMachine,
    machineId: AZURE_NAT_GATEWAY_FLOW_MACHINE_ID,
    parseConfig: parseAzureNatGatewayConfig,
    delays: AZURE_NAT_GATEWAY_DELAYS,
    defaultBoundary: AZURE_NAT_GATEWAY_BOUNDARY,
    description:
      'Azure NAT gateway mapping: 4 min default (4..120 min), silent; a late segment from either side gets an RST to its sender (domain-facts §2, §11.2)',
    idleTimeoutRange: AZURE_NAT_GATEWAY_IDLE_TIMEOUT_RANGE,
    choosesTarget: false,
    proactiveReset: false,
  }),
  'gcp-cloud-nat': define<GcpCloudNatConfig, typeof gcpCloudNatFlowMachine>({
    kind: 'gcp-cloud-nat',
    schema: gcpCloudNatConfigSchema,
    label: 'GCP Cloud NAT',
    machine: gcpCloudNatFlowMachine,
    machineId: GCP_CLOUD_NAT_FLOW_MACHINE_ID,
    parseConfig: parseGcpCloudNatConfig,
    delays: GCP_CLOUD_NAT_DELAYS,
    defaultBoundary: GCP_CLOUD_NAT_BOUNDARY,
    description:
      'GCP Cloud NAT mapping: established 1200 s, transitory 30 s, TIME_WAIT 120 s (30 s on new gateways), all configurable; a late segment is dropped silently, RST a parameter (domain-facts §2, §11.2)',
    idleTimeoutRange: { ...GCP_CLOUD_NAT_TIMEOUT_RANGE, default: GCP_CLOUD_NAT_DEFAULTS.established },
    choosesTarget: false,
    proactiveReset: false,
  }),
  'gcp-firewall': define<GcpFirewallConfig, typeof gcpFirewallFlowMachine>({
    kind: 'gcp-firewall',
    schema: gcpFirewallConfigSchema,
    label: 'GCP VPC firewall connection tracking',
    machine: gcpFirewallFlowMachine,
    machineId: GCP_FIREWALL_FLOW_MACHINE_ID,
    parseConfig: parseGcpFirewallConfig,
    delays: GCP_FIREWALL_DELAYS,
    defaultBoundary: GCP_FIREWALL_BOUNDARY,
    description:
      'GCP VPC firewall connection tracking: 10 minutes, silent; a late segment is passed or dropped per lateSegment (domain-facts §11.2)',
    idleTimeoutRange: { min: GCP_FIREWALL_IDLE_TIMEOUT, max: GCP_FIREWALL_IDLE_TIMEOUT, default: GCP_FIREWALL_IDLE_TIMEOUT },
    fixedIdleTimeout: GCP_FIREWALL_IDLE_TIMEOUT,
    choosesTarget: false,
    proactiveReset: false,
  }),
  'linux-conntrack': define<LinuxConntrackConfig, typeof linuxConntrackFlowMachine>({
    kind: 'linux-conntrack',
    schema: linuxConntrackConfigSchema,
    label: 'Linux netfilter conntrack (NAT instance, Kubernetes node)',
    machine: linuxConntrackFlowMachine,
    machineId: LINUX_CONNTRACK_FLOW_MACHINE_ID,
    parseConfig: parseLinuxConntrackConfig,
    delays: LINUX_CONNTRACK_DELAYS,
    defaultBoundary: LINUX_CONNTRACK_BOUNDARY,
    description:
      'Linux conntrack entry: established 432000 s and the per-state sysctl timeouts, silent; loose pickup adopts only ACK-class segments, a FIN, RST or SYN-ACK of an unknown flow is INVALID (dropInvalid) (domain-facts §2, §11.2)',
    idleTimeoutRange: { ...LINUX_CONNTRACK_TIMEOUT_RANGE, default: LINUX_CONNTRACK_ESTABLISHED_DEFAULT },
    choosesTarget: false,
    proactiveReset: false,
  }),
} as const;

/** A hop kind's scenario `type` string. */
export type HopKind = keyof typeof HOP_KINDS;

/** Every hop kind, in registry order. */
export const HOP_KIND_NAMES = Object.keys(HOP_KINDS) as HopKind[];

/** True when `type` names a hop kind midpath models. */
export function isHopKind(type: string): type is HopKind {
  return Object.hasOwn(HOP_KINDS, type);
}

/** The parsed config type of a hop kind. */
export type HopConfigOf<K extends HopKind> = ReturnType<(typeof HOP_KINDS)[K]['parseConfig']>;
