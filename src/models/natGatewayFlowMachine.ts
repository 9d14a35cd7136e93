/**
 * One AWS NAT gateway mapping: the translation the NAT gateway keeps for one
 * connection (its 5-tuple), forgotten after 350 s idle.
 *
 * Sources: domain-facts §2 (AWS NAT Gateway row: 350 s fixed; after the
 * timeout it "returns an RST packet to any resources behind the NAT gateway
 * that attempt to continue the connection (it does not send a FIN)"), §11.1
 * (the sending end of a late segment gets the RST, the remote end gets
 * nothing; toward an internet-side sender UNCONFIRMED, hence
 * {@link NatGatewayConfig.lateSegmentFromOutside}), §10 and §11.2 (closed
 * boundary, "350 seconds or more": the machine forgets the mapping at exactly
 * 350 s; the composition reads {@link NatGatewayConfig.boundary}).
 *
 * The client side is the inside (behind the NAT), the server side the
 * internet. Only an inside SYN creates a mapping: a NAT gateway cannot
 * translate a segment it has no mapping for, so it never forwards one, and it
 * never answers an RST with an RST (it drops it). Segments in either
 * direction refresh the mapping (domain-facts §2: the timer counts idle
 * time). One instance models one mapping; outputs leave only through
 * `emit()` (segment.ts).
 */
import type { SnapshotFrom } from 'xstate';
import type { NatGatewayConfig } from './natGatewayConfig.ts';
import { isSyn } from './segment.ts';
import { singleTimerAfterEvent, singleTimerEntryMachine } from './singleTimerEntryMachine.ts';

/** The machine id of {@link natGatewayFlowMachine}; part of its after-event types. */
export const NAT_GATEWAY_FLOW_MACHINE_ID = 'natGatewayFlow';

/** Name of the idle delay (ms: `idleTimeout * 1000`, always 350 000), domain-facts §2. */
export const NAT_GATEWAY_IDLE_DELAY = 'idleTimeout';

/** Every named delay of {@link natGatewayFlowMachine}. */
export const NAT_GATEWAY_DELAYS = [NAT_GATEWAY_IDLE_DELAY] as const;

const SPEC = {
  id: NAT_GATEWAY_FLOW_MACHINE_ID,
  delay: NAT_GATEWAY_IDLE_DELAY,
  entryState: 'active',
  noEntryDescription:
    'No mapping: an inside SYN opens one; a late inside segment gets an RST to its sender (domain-facts §2, §11.1); an internet-side one per lateSegmentFromOutside (UNCONFIRMED, §11.1)',
  entryDescription: 'Mapping in use, 350 s idle timer refreshed by segments in either direction (domain-facts §2, §10: closed boundary)',
  noEntry: [
    /** An inside SYN opens a new mapping (a NAT translates outbound connections, domain-facts §2). */
    { when: (_config: NatGatewayConfig, seg) => isSyn(seg) && seg.from === 'client', answer: { kind: 'track' } },
    /** An RST is never answered with an RST. */
    { when: (_config: NatGatewayConfig, seg) => seg.kind === 'rst', answer: { kind: 'drop', reason: 'no-nat-mapping' } },
    /** domain-facts §2: an inside sender continuing an expired connection gets an RST. */
    { when: (_config: NatGatewayConfig, seg) => seg.from === 'client', answer: { kind: 'reset-sender' } },
    /** domain-facts §11.1: toward an internet-side sender, UNCONFIRMED (parameter). */
    { when: (config: NatGatewayConfig) => config.lateSegmentFromOutside === 'reset', answer: { kind: 'reset-sender' } },
    { answer: { kind: 'drop', reason: 'no-nat-mapping' } },
  ],
} as const satisfies Parameters<typeof singleTimerEntryMachine<NatGatewayConfig>>[0];

/** After-event type (and raise id) of the mapping's idle timer. */
export const NAT_GATEWAY_IDLE_AFTER_EVENT = singleTimerAfterEvent(SPEC);

/** Context: the constant config only. */
export interface NatGatewayFlowContext {
  readonly config: NatGatewayConfig;
}

/**
 * The AWS NAT gateway mapping machine (domain-facts §2, §10, §11.1), a
 * single-timer entry (singleTimerEntryMachine.ts).
 *
 * States: `none` (no mapping, initial) and `active` (timer
 * {@link NAT_GATEWAY_IDLE_DELAY}). Emits `SEG_FORWARD`, `SEG_RESET` (to the
 * sender, reason `no-flow-entry`) or `SEG_DROP` (reason `no-nat-mapping`).
 */
export const natGatewayFlowMachine = singleTimerEntryMachine<NatGatewayConfig>(SPEC);

/** A snapshot of {@link natGatewayFlowMachine}. */
export type NatGatewayFlowSnapshot = SnapshotFrom<typeof natGatewayFlowMachine>;
