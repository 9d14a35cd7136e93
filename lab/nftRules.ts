/**
 * nftables rulesets of the lab's GWLB stand-in and appliances, built from a
 * scaled topology.
 */
import { kbHop, type Topology } from '../src/system/topology.ts';
import type { ChoicePolicy } from './labScenario.ts';
import { GWLB_IFACES } from './netns.ts';

/** Counter names of the GWLB stand-in, read after a run. */
export const GWLB_COUNTERS = ['new_syn', 'new_nonsyn', 'untracked', 'unpinned', 'reset_sent'] as const;

/** Counter names of an appliance, read after a run. */
export const APPLIANCE_COUNTERS = ['invalid_drop', 'new_nonsyn_drop', 'invalid_pass', 'new_nonsyn_pass', 'forwarded'] as const;

const tcpPolicy = (p: Readonly<Record<string, number>>): string =>
  `policy = { ${Object.entries(p)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ')} }`;

/**
 * The GWLB stand-in (domain-facts §1.1–1.4). A conntrack entry is the flow
 * entry: its `ct mark` (1 or 2) pins it to appliance 0 or 1 and policy
 * routing sends the segment there; a `ct timeout` policy gives every TCP
 * conntrack state the GWLB idle timeout, so the entry is a pure idle timer
 * refreshed by segments in either direction, with no separate FIN or RST
 * timeout (consequence 1). `nf_conntrack_tcp_loose=1` (set by netns.ts)
 * makes a mid-stream ACK, data segment or keepalive probe a new entry, which
 * is re-pinned like a SYN.
 *
 * Linux conntrack cannot create an entry from a mid-stream FIN or RST even
 * with loose=1 (its TCP state table maps NONE + FIN/RST to INVALID), so
 * those segments are pinned statelessly with the same choice (`meta mark`),
 * which keeps every later segment of the connection on the same appliance
 * in `forced` mode; in `numgen` mode they use `symhash`, the same appliance
 * for every such segment of the connection.
 *
 * Segments that come back from an appliance are not tracked again
 * (`notrack`), and anything from an endpoint that is not pinned is dropped
 * and counted (`unpinned`), so nothing bypasses the appliances.
 *
 * With `resetOnIdleTimeout` (domain-facts §1.2), a non-SYN, non-RST segment
 * with no entry is answered with an RST to its sender (`reject with tcp
 * reset`) instead of being pinned.
 */
export function gwlbRuleset(t: Topology, choice: ChoicePolicy): string {
  const T = kbHop(t).gwlb.idleTimeout;
  const idle = tcpPolicy({ syn_sent: T, syn_recv: T, established: T, fin_wait: T, close_wait: T, last_ack: T, time_wait: T, close: T, unack: T, retrans: T });
  const back = `{ ${GWLB_IFACES.appliance.map((i) => `"${i}"`).join(', ')} }`;
  const ends = `{ "${GWLB_IFACES.client}", "${GWLB_IFACES.server}" }`;
  const pinNew =
    choice.mode === 'forced'
      ? [
          `    ct state new tcp flags & (syn|ack) == syn counter name new_syn ct mark set 1`,
          `    ct state new tcp flags & (syn|ack) != syn counter name new_nonsyn ct mark set ${choice.repin + 1}`,
          `    ct state invalid counter name untracked meta mark set ${choice.repin + 1}`,
        ]
      : [
          `    ct state new tcp flags & (syn|ack) == syn counter name new_syn ct mark set numgen random mod 2 offset 1`,
          `    ct state new tcp flags & (syn|ack) != syn counter name new_nonsyn ct mark set numgen random mod 2 offset 1`,
          `    ct state invalid counter name untracked meta mark set symhash mod 2 offset 1`,
        ];
  const reset = kbHop(t).gwlb.resetOnIdleTimeout
    ? [
        `    iifname ${ends} ct state new tcp flags & syn == 0 counter name reset_sent reject with tcp reset`,
        `    iifname ${ends} ct state invalid tcp flags & (syn|rst) == 0 counter name reset_sent reject with tcp reset`,
      ]
    : [];
  return [
    'table ip gwlb {',
    `  ct timeout idle {`,
    `    protocol tcp`,
    `    l3proto ip`,
    `    ${idle}`,
    `  }`,
    ...GWLB_COUNTERS.map((c) => `  counter ${c} {\n  }`),
    '  chain raw {',
    '    type filter hook prerouting priority raw; policy accept;',
    `    iifname ${back} notrack`,
    '  }',
    '  chain pin {',
    // After conntrack (priority -200): `ct timeout set` only applies to a not yet confirmed entry.
    '    type filter hook prerouting priority mangle; policy accept;',
    `    iifname ${back} return`,
    `    meta l4proto != tcp return`,
    '    ct timeout set "idle"',
    ...pinNew,
    '    ct mark != 0 meta mark set ct mark',
    '  }',
    '  chain forwarding {',
    '    type filter hook forward priority filter; policy accept;',
    ...reset,
    `    iifname ${ends} meta mark 0 counter name unpinned drop`,
    '  }',
    '}',
    '',
  ].join('\n');
}

/**
 * A stateful firewall appliance. PAN-OS semantics (domain-facts §3):
 * `nf_conntrack_tcp_loose=0` (netns sysctl, set by the runner) so a non-SYN
 * segment without an entry is INVALID, dropped by `ct state invalid drop`,
 * and a `ct state new` non-SYN is dropped as well, both counted; a `ct
 * timeout` policy maps the PAN-OS session timeouts onto conntrack states
 * (init → syn_sent, handshake → syn_recv, established, half-closed →
 * fin_wait/close_wait/last_ack and close (after an RST), time-wait →
 * time_wait). The loose variant (`conntrack-loose`, loose=1) forwards
 * everything and only counts.
 */
export function applianceRuleset(t: Topology): string {
  const fw = kbHop(t).appliances.firewall;
  const to = fw.timeouts;
  const policy = tcpPolicy({
    syn_sent: to.init,
    syn_recv: to.handshake,
    established: to.established,
    fin_wait: to.halfClosed,
    close_wait: to.halfClosed,
    last_ack: to.halfClosed,
    time_wait: to.timeWait,
    close: to.halfClosed,
    unack: to.established,
    retrans: to.established,
  });
  const strict = fw.rejectNonSyn;
  return [
    'table ip fw {',
    '  ct timeout fwtimeouts {',
    '    protocol tcp',
    '    l3proto ip',
    `    ${policy}`,
    '  }',
    ...APPLIANCE_COUNTERS.map((c) => `  counter ${c} {\n  }`),
    '  chain pre {',
    '    type filter hook prerouting priority mangle; policy accept;',
    '    meta l4proto tcp ct timeout set "fwtimeouts"',
    '  }',
    '  chain forwarding {',
    '    type filter hook forward priority filter; policy accept;',
    strict ? '    ct state invalid counter name invalid_drop drop' : '    ct state invalid counter name invalid_pass',
    strict
      ? '    ct state new tcp flags & (fin|syn|rst|ack) != syn counter name new_nonsyn_drop drop'
      : '    ct state new tcp flags & (fin|syn|rst|ack) != syn counter name new_nonsyn_pass',
    '    counter name forwarded',
    '  }',
    '}',
    '',
  ].join('\n');
}
