import { HOP_KIND_NAMES, type HopKind } from '../models/hopKinds.ts';
import type { Boundary } from './scenario.ts';

/**
 * What a middlebox does when an idle flow expires (domain-facts, Modelling
 * consequences 9):
 * - `silent`: forgets the flow, sends nothing;
 * - `rst-both`: sends an RST to both endpoints at the timeout;
 * - `rst-to-sender-on-late-packet`: forgets the flow silently, then answers
 *   the next segment of it with an RST to that segment's sender only.
 */
export type ExpiryAction = 'silent' | 'rst-both' | 'rst-to-sender-on-late-packet';

/** The middlebox products whose documented defaults are kept as data here (domain-facts §1, §2, §11.2). */
export const PRESET_HOP_TYPES = [
  'gwlb',
  'nlb',
  'nat-gateway',
  'aws-network-firewall',
  'eni-conntrack',
  'azure-lb',
  'azure-nat-gateway',
  'gcp-cloud-nat',
  'gcp-firewall',
  'linux-conntrack',
] as const;

/** A middlebox product with documented defaults here. */
export type KnownHopType = (typeof PRESET_HOP_TYPES)[number];

/** Every hop type a scenario may name: every kind of the registry (src/models/hopKinds.ts), in its order. */
export const KNOWN_HOP_TYPES: readonly HopKind[] = HOP_KIND_NAMES;

/** The documented defaults of one middlebox type, as data. */
export interface HopPreset {
  readonly type: KnownHopType;
  /** Product name, e.g. `AWS NAT gateway`. */
  readonly label: string;
  /** A few words for messages, e.g. `350 s fixed, RST to inside sender`. */
  readonly summary: string;
  /** Default TCP (established) idle timeout, seconds. */
  readonly idleTimeout: number;
  /** Configurable range in seconds, `'fixed'`, or `'unspecified'` when the source gives none. */
  readonly range: { readonly min: number; readonly max: number } | 'fixed' | 'unspecified';
  /** Default action when the flow expires. */
  readonly onExpiry: ExpiryAction;
  /** The action with the product's optional reset switched on, where it has one. */
  readonly onExpiryWithReset?: ExpiryAction;
  /** Whether a segment of an unknown (expired) flow is adopted and passed on, or `'unconfirmed'`. */
  readonly midStreamPickup: boolean | 'unconfirmed';
  /** Timeout boundary implied by the docs' wording (domain-facts §10). */
  readonly boundary: Boundary;
  /** Where the facts come from (a section of domain-facts.md). */
  readonly source: string;
  /** True when midpath has a model for it and scenarios may use it. */
  readonly built: boolean;
  /** Caveats, e.g. which values are UNCONFIRMED. */
  readonly notes?: string;
}

/**
 * Documented defaults of every middlebox type in domain-facts §1, §2 and
 * §11.2, as data; each has a model (src/models/hopKinds.ts).
 */
export const HOP_PRESETS: { readonly [K in KnownHopType]: HopPreset & { readonly type: K } } = {
  gwlb: {
    type: 'gwlb',
    label: 'AWS Gateway Load Balancer',
    summary: '350 s default, 60..6000, silent; optional RST to sender on a late packet',
    idleTimeout: 350,
    range: { min: 60, max: 6000 },
    onExpiry: 'silent',
    onExpiryWithReset: 'rst-to-sender-on-late-packet',
    midStreamPickup: true,
    boundary: 'open',
    source: 'domain-facts §1.1, §1.2, §1.4, §10',
    built: true,
    notes: 'A late non-SYN segment is forwarded as a new flow to any target (seed KB); dropping it instead is UNCONFIRMED.',
  },
  nlb: {
    type: 'nlb',
    label: 'AWS Network Load Balancer (TCP)',
    summary: '350 s default, 60..6000, RST to sender on a late packet',
    idleTimeout: 350,
    range: { min: 60, max: 6000 },
    onExpiry: 'rst-to-sender-on-late-packet',
    midStreamPickup: false,
    boundary: 'open',
    source: 'domain-facts §2 (AWS NLB TCP row), §1.3, consequences 9',
    built: true,
    notes: 'TLS listeners are fixed at 350 s. The TCP target hash includes the sequence number.',
  },
  'nat-gateway': {
    type: 'nat-gateway',
    label: 'AWS NAT gateway',
    summary: '350 s fixed, RST to inside sender',
    idleTimeout: 350,
    range: 'fixed',
    onExpiry: 'rst-to-sender-on-late-packet',
    midStreamPickup: false,
    boundary: 'closed',
    source: 'domain-facts §2 (AWS NAT Gateway row), §10',
    built: true,
    notes: 'Behaviour toward internet-side senders is UNCONFIRMED.',
  },
  'aws-network-firewall': {
    type: 'aws-network-firewall',
    label: 'AWS Network Firewall',
    summary: '350 s default, 60..6000, drops data after the timeout',
    idleTimeout: 350,
    range: { min: 60, max: 6000 },
    onExpiry: 'silent',
    midStreamPickup: false,
    boundary: 'ambiguous',
    source: 'domain-facts §2 (AWS Network Firewall row)',
    built: true,
    notes: 'The next SYN starts a new flow; keepalives reset the timer.',
  },
  'eni-conntrack': {
    type: 'eni-conntrack',
    label: 'EC2 ENI connection tracking (security groups)',
    summary: '432000 s default (350 s on Nitro v6), 60..432000, silent',
    idleTimeout: 432000,
    range: { min: 60, max: 432000 },
    onExpiry: 'silent',
    midStreamPickup: 'unconfirmed',
    boundary: 'ambiguous',
    source: 'domain-facts §1.1, §2 (EC2 ENI conntrack row)',
    built: true,
    notes: 'Default is 350 s on Nitro v6 instances (excluding P6e-GB200).',
  },
  'azure-lb': {
    type: 'azure-lb',
    label: 'Azure Load Balancer (Standard)',
    summary: '4 min default, 4..100 min, silent; optional RST to both ends',
    idleTimeout: 240,
    range: { min: 240, max: 6000 },
    onExpiry: 'silent',
    onExpiryWithReset: 'rst-both',
    midStreamPickup: false,
    boundary: 'ambiguous',
    source: 'domain-facts §2 (Azure Load Balancer row)',
    built: true,
  },
  'azure-nat-gateway': {
    type: 'azure-nat-gateway',
    label: 'Azure NAT gateway',
    summary: '4 min default, 4..120 min, RST to sender on a late packet',
    idleTimeout: 240,
    range: { min: 240, max: 7200 },
    onExpiry: 'rst-to-sender-on-late-packet',
    midStreamPickup: false,
    boundary: 'ambiguous',
    source: 'domain-facts §2 (Azure NAT Gateway row)',
    built: true,
  },
  'gcp-cloud-nat': {
    type: 'gcp-cloud-nat',
    label: 'GCP Cloud NAT',
    summary: '1200 s established default, mapping dropped, RST behaviour UNCONFIRMED',
    idleTimeout: 1200,
    range: 'unspecified',
    onExpiry: 'silent',
    midStreamPickup: 'unconfirmed',
    boundary: 'ambiguous',
    source: 'domain-facts §2 (GCP Cloud NAT row)',
    built: true,
    notes: 'That no RST is sent is a secondary claim (UNCONFIRMED). Transitory 30 s, TIME_WAIT 120 s (30 s for new gateways from 2026).',
  },
  'gcp-firewall': {
    type: 'gcp-firewall',
    label: 'GCP VPC firewall connection tracking',
    summary: '10 min fixed, silent',
    idleTimeout: 600,
    range: 'fixed',
    onExpiry: 'silent',
    midStreamPickup: 'unconfirmed',
    boundary: 'ambiguous',
    source: 'domain-facts §11.2',
    built: true,
    notes: 'Whether a late segment is allowed as a new connection depends on the firewall rules (UNCONFIRMED, a parameter).',
  },
  'linux-conntrack': {
    type: 'linux-conntrack',
    label: 'Linux netfilter conntrack',
    summary: '432000 s established, sysctl, silent, loose mid-stream pickup',
    idleTimeout: 432000,
    range: 'unspecified',
    onExpiry: 'silent',
    midStreamPickup: true,
    boundary: 'ambiguous',
    source: 'domain-facts §2 (Linux netfilter conntrack row)',
    built: true,
    notes: 'nf_conntrack_tcp_loose=1 (default) adopts established connections mid-stream.',
  },
};

/** Hop types a scenario may use: every registry kind (each has a model). */
export const SUPPORTED_HOP_TYPES: readonly HopKind[] = KNOWN_HOP_TYPES;

/** The documented defaults of a hop type name, or undefined when none are kept here. */
export function hopPreset(type: string): HopPreset | undefined {
  return (PRESET_HOP_TYPES as readonly string[]).includes(type) ? HOP_PRESETS[type as KnownHopType] : undefined;
}
