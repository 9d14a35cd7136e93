import type { FlowHopKind } from '../system/topology.ts';

/**
 * What each field of a registry hop kind means, for the JSON Schema and the
 * field reference, naming the vendor attribute it stands for (or saying
 * there is none). The fields themselves, their ranges, defaults and error
 * messages are the kinds' zod schemas in src/models (one definition); these
 * texts are attached to them with `.meta()`.
 */
export const HOP_FIELD_DESCRIPTIONS: { readonly [K in FlowHopKind]: Readonly<Record<string, string>> } = {
  'nat-gateway': {
    idleTimeout: 'Idle timeout in seconds. The AWS NAT gateway has no attribute for it: fixed at 350 s, any other value is refused (docs/domain-facts.md §2).',
    boundary: 'Timeout boundary (docs/domain-facts.md §10); default closed: AWS documents "350 seconds or more".',
    lateSegmentFromOutside: 'No vendor attribute: what happens to an internet-side (server-side) segment whose mapping expired: reset (RST to its sender, default) or drop (UNCONFIRMED, docs/domain-facts.md §11.1).',
  },
  nlb: {
    idleTimeout: 'Target group / listener attribute tcp.idle_timeout.seconds: 60..6000, default 350 (docs/domain-facts.md §2, §11.1).',
    halfOpenTimeout: 'No vendor attribute: how long a half-open flow (SYN seen, handshake not completed) is kept; default the idle timeout (UNCONFIRMED, docs/domain-facts.md §11.2).',
    boundary: 'Timeout boundary (docs/domain-facts.md §10); default open: AWS documents "idle for longer than".',
  },
  'eni-conntrack': {
    idleTimeout: 'ENI ConnectionTrackingSpecification.TcpEstablishedTimeout (EC2 API): 60..432000, default 432000, or 350 on Nitro v6 (docs/domain-facts.md §1.1, §11.2).',
    nitroV6: 'No vendor attribute: the instance is Nitro v6, whose TcpEstablishedTimeout default is 350 s (docs/domain-facts.md §1.1).',
    lateSegment:
      'No vendor attribute: what the security-group rules do with a segment of an untracked (expired) connection, as a new connection in its direction: pass (re-tracked) or drop (silently); pass, drop, or { client, server } (UNCONFIRMED, docs/domain-facts.md §11.2).',
    boundary: 'Timeout boundary (docs/domain-facts.md §10); default ambiguous (no wording recorded).',
  },
  'aws-network-firewall': {
    idleTimeout: 'Firewall policy StatefulEngineOptions.FlowTimeouts.TcpIdleTimeoutSeconds: 60..6000, default 350 (docs/domain-facts.md §2).',
    boundary: 'Timeout boundary (docs/domain-facts.md §10); default ambiguous (no wording recorded).',
  },
  'azure-lb': {
    idleTimeout: 'Rule property idleTimeoutInMinutes, written in seconds: 240..6000 (4..100 min; outbound rules 240..7200), whole minutes, default 240 (docs/domain-facts.md §11.1).',
    ruleKind: 'No single vendor attribute: the kind of rule the flow matches (load-balancing, inbound-nat or outbound), which sets the idle-timeout range (docs/domain-facts.md §11.1).',
    tcpReset: 'Rule property enableTcpReset: an RST to both endpoints when an ESTABLISHED flow reaches its idle timeout (docs/domain-facts.md §2, §11.2). Default false: silent.',
    haPorts: 'An internal load balancer with an HA-ports rule (frontendPort 0, protocol All), where no TCP reset is sent even with tcpReset (docs/domain-facts.md §11.2).',
    newFlowBackend:
      'No vendor attribute: the backend a segment of an expired flow lands on: any (a free choice, default: the public incident shows flows moving to the other firewall) or same (Azure documents a 5-tuple hash).',
    boundary: 'Timeout boundary (docs/domain-facts.md §10); default open ("longer than").',
    backends: 'The backend pool members (firewall appliances) behind the load balancer, as a GWLB\'s appliances: count identical appliances, each with its own sessions. Omit for plain backend hosts.',
  },
  'azure-nat-gateway': {
    idleTimeout: 'NAT gateway resource idleTimeoutInMinutes, written in seconds: 240..7200 (4..120 min), whole minutes, default 240 (docs/domain-facts.md §2, §11.2).',
    boundary: 'Timeout boundary (docs/domain-facts.md §10); default ambiguous (no wording recorded).',
  },
  'gcp-cloud-nat': {
    idleTimeout: 'RouterNat tcpEstablishedIdleTimeoutSec: default 1200 (docs/domain-facts.md §2).',
    tcpTransitoryIdleTimeoutSec: 'RouterNat tcpTransitoryIdleTimeoutSec: default 30 (docs/domain-facts.md §2).',
    tcpTimeWaitTimeoutSec: 'RouterNat tcpTimeWaitTimeoutSec: default 120, or 30 for gateways created after the 2026 change (docs/domain-facts.md §2).',
    createdAfterTimeWaitChange: 'No vendor attribute: the gateway was created after the TIME_WAIT default went from 120 to 30 s (docs/domain-facts.md §2).',
    lateSegment: 'No vendor attribute: a segment with no mapping is dropped silently (default) or answered with an RST to its sender (UNCONFIRMED, docs/domain-facts.md §2, §11.2).',
    boundary: 'Timeout boundary (docs/domain-facts.md §10); default ambiguous.',
  },
  'gcp-firewall': {
    idleTimeout: 'No vendor attribute: VPC firewall connection tracking keeps an idle connection 10 minutes (600 s, fixed; docs/domain-facts.md §11.2).',
    lateSegment: 'No vendor attribute: what the firewall rules do with a segment of an expired connection as a new connection in its direction: pass, drop, or { client, server } (UNCONFIRMED).',
    boundary: 'Timeout boundary (docs/domain-facts.md §10); default ambiguous.',
  },
  'linux-conntrack': {
    idleTimeout: 'sysctl net.netfilter.nf_conntrack_tcp_timeout_established: default 432000 (docs/domain-facts.md §2).',
    timeouts: 'sysctls net.netfilter.nf_conntrack_tcp_timeout_{syn_sent, syn_recv, fin_wait, close_wait, last_ack, time_wait, close}, seconds (docs/domain-facts.md §2).',
    tcpLoose: 'sysctl net.netfilter.nf_conntrack_tcp_loose: adopt an ACK-class mid-stream segment of an unknown flow as a new entry (default true; docs/domain-facts.md §2, §11.2).',
    dropInvalid: 'No sysctl: whether the ruleset drops INVALID packets (ct state invalid drop): a FIN, RST or SYN-ACK of an unknown flow is INVALID (default true; docs/domain-facts.md §11.2).',
    boundary: 'Timeout boundary (docs/domain-facts.md §10); default ambiguous.',
  },
};
