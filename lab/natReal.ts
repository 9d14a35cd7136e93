/**
 * Runs a NAT-lab scenario on real Linux: three namespaces
 * (`mplab-<pid>-<tag>-{c,n,s}`), client ⇄ NAT ⇄ server, the NAT namespace
 * with nftables masquerade toward the server and the scenario's conntrack
 * sysctls; observed by a capture on both NAT interfaces, `conntrack -E` and
 * nft counters.
 *
 * ```
 *  client 10.201.1.2 ──cv/natin── NAT 10.201.1.1 | 10.201.2.1 ──natout/sv── server 10.201.2.2
 * ```
 * The server has no route to 10.201.1.0/24: it only ever sees the NAT's
 * address, so anything that reaches it was translated.
 */
import { mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addLabNamespace, deleteLabNamespace, NETNS_PREFIX } from './netns.ts';
import { NAT_LAB_DEFAULT_UNACKNOWLEDGED, type NatAction, type NatScenario } from './natScenarios.ts';
import { parsePcap, type PcapTcpPacket } from './pcap.ts';
import { CommandError, Monitor, mustRun, sleep } from './proc.ts';

const HELPER = fileURLToPath(new URL('./natEndpoint.py', import.meta.url));

/** Addresses of the NAT lab (inside its namespaces only). */
export const NAT_ADDR = { client: '10.201.1.2', natInside: '10.201.1.1', natOutside: '10.201.2.1', server: '10.201.2.2' } as const;
/** The server's port. */
export const NAT_SERVER_PORT = 8080;
/** The NAT namespace's interfaces: inside (to the client) and outside (to the server). */
export const NAT_IFACES = { inside: 'natin', outside: 'natout' } as const;

/** nft counters of the NAT ruleset. */
export const NAT_COUNTERS = ['fwd_invalid', 'in_invalid', 'fwd_new', 'in_new', 'forwarded'] as const;

/**
 * The NAT namespace's nftables ruleset: `masquerade` (optionally `random`)
 * out of the outside interface; `ct state invalid` dropped (or only
 * counted) in forward and input, new entries counted.
 */
export function natRuleset(sc: NatScenario): string {
  const invalid = (name: string): string => `    ct state invalid counter name ${name}${sc.dropInvalid ? ' drop' : ''}`;
  return [
    'table ip natlab {',
    ...NAT_COUNTERS.map((c) => `  counter ${c} {\n  }`),
    '  chain postrouting {',
    '    type nat hook postrouting priority srcnat; policy accept;',
    `    oifname "${NAT_IFACES.outside}" masquerade${sc.masquerade === 'random' ? ' random' : ''}`,
    '  }',
    '  chain forward {',
    '    type filter hook forward priority filter; policy accept;',
    invalid('fwd_invalid'),
    '    ct state new counter name fwd_new',
    '    counter name forwarded',
    '  }',
    '  chain input {',
    '    type filter hook input priority filter; policy accept;',
    '    meta l4proto != tcp accept',
    invalid('in_invalid'),
    '    ct state new counter name in_new',
    '  }',
    '}',
    '',
  ].join('\n');
}

/** The conntrack sysctls of the NAT namespace for a scenario. */
export function natSysctls(sc: NatScenario): Record<string, number> {
  const t = sc.timeouts;
  return {
    'net.ipv4.ip_forward': 1,
    'net.netfilter.nf_conntrack_tcp_loose': sc.loose ? 1 : 0,
    'net.netfilter.nf_conntrack_tcp_timeout_established': sc.established,
    'net.netfilter.nf_conntrack_tcp_timeout_syn_sent': t.synSent,
    'net.netfilter.nf_conntrack_tcp_timeout_syn_recv': t.synRecv,
    'net.netfilter.nf_conntrack_tcp_timeout_fin_wait': t.finWait,
    'net.netfilter.nf_conntrack_tcp_timeout_close_wait': t.closeWait,
    'net.netfilter.nf_conntrack_tcp_timeout_last_ack': t.lastAck,
    'net.netfilter.nf_conntrack_tcp_timeout_time_wait': t.timeWait,
    'net.netfilter.nf_conntrack_tcp_timeout_close': t.close,
    'net.netfilter.nf_conntrack_tcp_timeout_unacknowledged': sc.unacknowledged ?? NAT_LAB_DEFAULT_UNACKNOWLEDGED,
  };
}

/** One `conntrack -E` event of the lab connection. */
export interface CtEvent {
  /** Seconds since t0 (the event's own timestamp, `-o timestamp`). */
  readonly t: number;
  readonly type: 'NEW' | 'UPDATE' | 'DESTROY';
  /** Conntrack TCP state (absent on DESTROY). */
  readonly state?: string;
  /** Source address of the ORIGINAL direction (who created the entry). */
  readonly origSrc: string;
  /** The port the reply direction is addressed to on the NAT: the translated source port. */
  readonly natPort: number;
  readonly line: string;
}

/** Parses `conntrack -E -o timestamp` lines (only those of the server port). */
export function parseConntrackEvents(lines: readonly string[], t0: number): CtEvent[] {
  const out: CtEvent[] = [];
  const re = /^\s*\[(\d+\.\d+)\]\s+\[(NEW|UPDATE|DESTROY)\]\s+tcp\s+6\s+(?:\d+\s+)?([A-Z_]+\s+)?src=(\S+) dst=\S+ sport=\d+ dport=(\d+)(?:.*?)src=\S+ dst=\S+ sport=\d+ dport=(\d+)/;
  for (const line of lines) {
    const m = re.exec(line);
    if (m === null) continue;
    const [, ts, type, state, origSrc, dport, replyDport] = m;
    // Our connection: original dport 8080 (client-made), or reply dport 8080 (server-made after expiry).
    if (Number(dport) !== NAT_SERVER_PORT && Number(replyDport) !== NAT_SERVER_PORT) continue;
    out.push({
      t: Math.round((Number(ts) - t0) * 1000) / 1000,
      type: type as CtEvent['type'],
      ...(state === undefined ? {} : { state: state.trim() }),
      origSrc: origSrc ?? '',
      natPort: Number(Number(dport) === NAT_SERVER_PORT ? replyDport : dport),
      line: line.trim(),
    });
  }
  return out;
}

/** One entry of the lab connection in a `conntrack -L` listing. */
export interface CtListing {
  /** Seconds since t0 at which the listing started. */
  readonly t: number;
  /** Remaining timeout in whole seconds, as the kernel prints it (rounded down). */
  readonly timeout: number;
  readonly state: string;
  readonly line: string;
}

/**
 * Parses the reaper's output: `@<epoch seconds>` before each `conntrack -L`
 * listing, then its lines; keeps the entries of the server port.
 */
export function parseConntrackListings(lines: readonly string[], t0: number): CtListing[] {
  const out: CtListing[] = [];
  let at: number | null = null;
  const re = /^tcp\s+6\s+(\d+)\s+([A-Z_]+)\s+src=\S+ dst=\S+ sport=\d+ dport=(\d+)(?:.*?)src=\S+ dst=\S+ sport=\d+ dport=(\d+)/;
  for (const raw of lines) {
    const line = raw.trim();
    if (line.startsWith('@')) {
      at = Number(line.slice(1));
      continue;
    }
    const m = re.exec(line);
    if (m === null || at === null) continue;
    const [, timeout, state, dport, replyDport] = m;
    if (Number(dport) !== NAT_SERVER_PORT && Number(replyDport) !== NAT_SERVER_PORT) continue;
    out.push({ t: Math.round((at - t0) * 1000) / 1000, timeout: Number(timeout), state: state ?? '', line });
  }
  return out;
}

/** A captured packet relative to t0, with its interface name. */
export interface NatPacket extends Omit<PcapTcpPacket, 'time' | 'ifindex'> {
  readonly t: number;
  readonly ifname: string;
}

/** What one real run produced. */
export interface NatRealRun {
  /** Every captured packet up to `countersAt.to` (the comparison cuts at the horizon). */
  readonly packets: readonly NatPacket[];
  /** Seconds since t0 just before and just after the nft counters were read. */
  readonly countersAt: { readonly from: number; readonly to: number };
  readonly conntrack: readonly CtEvent[];
  /** The lab connection's entries in the `conntrack -L` listings (every 0.1 s), up to the horizon. */
  readonly listings?: readonly CtListing[];
  readonly counters: Readonly<Record<string, number>>;
  readonly helpers: { readonly client: readonly Record<string, unknown>[]; readonly server: readonly Record<string, unknown>[] };
  readonly capture: string;
  readonly seconds: number;
}

function helperArgs(sc: NatScenario, role: 'client' | 'server', actions: readonly NatAction[]): string {
  return JSON.stringify({
    role,
    host: NAT_ADDR.server,
    port: NAT_SERVER_PORT,
    horizon: sc.horizon,
    keepalive: role === 'client' ? sc.clientKeepalive : null,
    actions,
  });
}

function helperLines(m: Monitor): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const { line } of m.lines) {
    try {
      const v = JSON.parse(line) as unknown;
      if (typeof v === 'object' && v !== null && (v as { ev?: unknown }).ev !== 'ready') out.push(v as Record<string, unknown>);
    } catch {
      // not a report line
    }
  }
  return out;
}

/**
 * Runs one scenario on real Linux; `tag` makes the namespace names unique in
 * this process. The namespaces are deleted before this returns, whatever
 * happens (and by the exit/signal handlers of netns.ts if the process dies).
 */
export async function runNatReal(sc: NatScenario, tag: string, outDir: string): Promise<NatRealRun> {
  const started = Date.now();
  const prefix = `${NETNS_PREFIX}${process.pid}-${tag}`;
  const ns = { client: `${prefix}-c`, nat: `${prefix}-n`, server: `${prefix}-s` } as const;
  const made: string[] = [];
  const monitors: Monitor[] = [];
  const exec = (n: string): string[] => ['ip', 'netns', 'exec', n];
  const batch = (n: string, lines: readonly string[]): Promise<string> => mustRun(['ip', '-n', n, '-batch', '-'], { input: `${lines.join('\n')}\n` });
  const sysctl = (n: string, s: Record<string, number>): Promise<string> => mustRun([...exec(n), 'sysctl', '-q', '-w', ...Object.entries(s).map(([k, v]) => `${k}=${v}`)]);
  mkdirSync(outDir, { recursive: true });
  const safe = sc.name.replace(/[^A-Za-z0-9_-]+/g, '_');
  const capture = join(outDir, `nat-${safe}.pcap`);
  let partial: string | null = join(outDir, `.nat-${safe}.${process.pid}-${tag}.pcap`);
  try {
    for (const n of Object.values(ns)) {
      await addLabNamespace(n);
      made.push(n);
    }
    await batch(ns.client, ['link set lo up', `link add cv type veth peer name ${NAT_IFACES.inside} netns ${ns.nat}`, `addr add ${NAT_ADDR.client}/24 dev cv`, 'link set cv up', `route add default via ${NAT_ADDR.natInside} dev cv`]);
    await batch(ns.server, ['link set lo up', `link add sv type veth peer name ${NAT_IFACES.outside} netns ${ns.nat}`, `addr add ${NAT_ADDR.server}/24 dev sv`, 'link set sv up']);
    await batch(ns.nat, [
      'link set lo up',
      `addr add ${NAT_ADDR.natInside}/24 dev ${NAT_IFACES.inside}`,
      `link set ${NAT_IFACES.inside} up`,
      `addr add ${NAT_ADDR.natOutside}/24 dev ${NAT_IFACES.outside}`,
      `link set ${NAT_IFACES.outside} up`,
    ]);
    try {
      await mustRun([...exec(ns.nat), 'nft', '-f', '-'], { input: natRuleset(sc) });
    } catch (e) {
      if (e instanceof CommandError) throw new Error(`NAT ruleset rejected:\n${e.message}\n--- ruleset ---\n${natRuleset(sc)}`);
      throw e;
    }
    // After the ruleset: conntrack is loaded in the namespace, its sysctls exist.
    await sysctl(ns.nat, natSysctls(sc));
    for (const n of [ns.client, ns.server]) await sysctl(n, { 'net.ipv4.tcp_retries2': 3 });
    const limit = sc.horizon + 30;
    const server = Monitor.start('nat-server', [...exec(ns.server), 'python3', HELPER, helperArgs(sc, 'server', sc.server)], limit + 60, true);
    const client = Monitor.start('nat-client', [...exec(ns.client), 'python3', HELPER, helperArgs(sc, 'client', sc.client)], limit + 60, true);
    monitors.push(server, client);
    for (const h of [server, client]) {
      if (!(await h.waitFor('"ready"', 60_000))) throw new Error(`${h.name} helper did not start: ${h.stderr}`);
    }
    const tcpdump = Monitor.start('nat-tcpdump', [...exec(ns.nat), 'tcpdump', '-i', 'any', '-y', 'LINUX_SLL2', '-U', '-n', '-w', partial, 'tcp'], limit);
    const ct = Monitor.start('nat-conntrack', [...exec(ns.nat), 'conntrack', '-E', '-p', 'tcp', '-o', 'timestamp'], limit);
    // Listing the table makes the kernel reap expired entries at once, so DESTROY comes on time (bounded loop);
    // each listing is kept, stamped, as a reading of the entries' remaining timeouts.
    const rounds = Math.ceil((sc.horizon + 3) / 0.1);
    const reaper = Monitor.start('nat-reaper', [...exec(ns.nat), 'bash', '-c', `for i in $(seq ${rounds}); do date +@%s.%N; conntrack -L -p tcp 2>/dev/null; sleep 0.1; done`], limit);
    monitors.push(tcpdump, ct, reaper);
    if (!(await tcpdump.waitFor('listening on', 20_000))) throw new Error(`tcpdump did not start in the NAT namespace: ${tcpdump.stderr}`);
    await sleep(300);
    const t0 = Date.now() / 1000 + 0.3;
    for (const h of [server, client]) h.writeLine(t0.toFixed(6));
    if (sc.serverVanishesAt !== undefined) {
      const wait = t0 + sc.serverVanishesAt - Date.now() / 1000;
      if (wait > 0) await sleep(wait * 1000);
      await mustRun([...exec(ns.server), 'nft', '-f', '-'], { input: 'table ip gone {\n  chain input {\n    type filter hook input priority filter; policy accept;\n    meta l4proto tcp drop\n  }\n}\n' });
    }
    // Counters at the horizon, while the helpers still hold their sockets (they exit, and close, 2 s after it).
    const rest = t0 + sc.horizon + 0.3 - Date.now() / 1000;
    if (rest > 0) await sleep(rest * 1000);
    const readFrom = Date.now() / 1000 - t0;
    const doc = JSON.parse(await mustRun([...exec(ns.nat), 'nft', '-j', 'list', 'counters'])) as { nftables?: { counter?: { name?: string; packets?: number } }[] };
    const counters: Record<string, number> = {};
    for (const item of doc.nftables ?? []) if (item.counter?.name !== undefined) counters[item.counter.name] = item.counter.packets ?? 0;
    const countersAt = { from: readFrom, to: Date.now() / 1000 - t0 };
    const links = JSON.parse(await mustRun(['ip', '-n', ns.nat, '-j', 'link', 'show'])) as { ifindex: number; ifname: string }[];
    const ifnames = new Map(links.map((l) => [l.ifindex, l.ifname]));
    await Promise.all([server.exited(), client.exited()]);
    for (const m of monitors) await m.stop();
    const packets = parsePcap(readFileSync(partial))
      .map(({ time, ifindex, ...p }) => ({ ...p, t: Math.round((time - t0) * 1e6) / 1e6, ifname: ifnames.get(ifindex) ?? `if${ifindex}` }))
      .filter((p) => p.t <= countersAt.to)
      .sort((a, b) => a.t - b.t);
    renameSync(partial, capture);
    partial = null;
    return {
      packets,
      countersAt,
      conntrack: parseConntrackEvents(
        ct.lines.map((l) => l.line),
        t0,
      ).filter((e) => e.t <= sc.horizon),
      listings: parseConntrackListings(
        reaper.lines.map((l) => l.line),
        t0,
      ).filter((e) => e.t <= sc.horizon),
      counters,
      helpers: { client: helperLines(client), server: helperLines(server) },
      capture,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    for (const m of monitors) await m.stop();
    for (const n of made) await deleteLabNamespace(n);
    if (partial !== null) rmSync(partial, { force: true });
  }
}
