/**
 * Runs a lab scenario on real Linux: the namespaces of netns.ts, the nft
 * rulesets of nftRules.ts, real TCP sockets (endpoint.py) and the kernel's
 * conntrack, observed through a capture in the GWLB namespace, `conntrack
 * -E` in each appliance, the helpers' own reports (TCP_INFO, SO_ERROR) and
 * nft counters.
 */
import { kbHop } from '../src/system/topology.ts';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { Role } from '../src/models/segment.ts';
import { readCapture, segmentsFromCapture } from './capture.ts';
import { tailLossProbeOn } from './compare.ts';
import type { LabScenario } from './labScenario.ts';
import { endpointFromStates } from './modelRun.ts';
import { ADDR, LabNet, SERVER_PORT, type NsRole } from './netns.ts';
import { APPLIANCE_COUNTERS, GWLB_COUNTERS, applianceRuleset, gwlbRuleset } from './nftRules.ts';
import type { EndpointObservation, EndpointOutcome, Observation, ObservedAction, SessionEnd, SessionObservation, SessionState } from './observation.ts';
import { Monitor, mustRun, sleep } from './proc.ts';

const HELPER = fileURLToPath(new URL('./endpoint.py', import.meta.url));

/** nft counter values (packets) by name. */
export type Counters = Readonly<Record<string, number>>;

/** What the real run produced, beyond the observation. */
export interface RealRun {
  readonly observation: Observation;
  readonly counters: { readonly gwlb: Counters; readonly appliance0: Counters; readonly appliance1: Counters };
  /** Conntrack events per appliance, as lines with their time. */
  readonly conntrack: { readonly appliance0: readonly string[]; readonly appliance1: readonly string[]; readonly gwlb: readonly string[] };
  /** The helpers' reports (JSON lines). */
  readonly helpers: { readonly client: readonly unknown[]; readonly server: readonly unknown[] };
  readonly capture: string;
  /** Wall-clock seconds the real run took (setup to teardown). */
  readonly seconds: number;
}

interface HelperEvent {
  readonly t: number;
  readonly ev: string;
  readonly state?: string;
  readonly errno?: string;
  readonly ok?: boolean;
  readonly probes?: number;
  readonly retransmits?: number;
}

function parseHelper(m: Monitor): HelperEvent[] {
  const out: HelperEvent[] = [];
  for (const { line } of m.lines) {
    if (line.trim() === '') continue;
    try {
      out.push(JSON.parse(line) as HelperEvent);
    } catch {
      // not a report line
    }
  }
  return out;
}

/** Outcome of a Linux TCP state, or of the helper's synthetic end states. */
export function linuxEndpointOutcome(state: string): EndpointOutcome {
  switch (state) {
    case 'LISTEN':
    case 'SYN_SENT':
    case 'SYN_RECV':
    case 'START':
      return 'connecting';
    case 'ESTABLISHED':
    case 'CLOSE_WAIT':
      return 'open';
    case 'FIN_WAIT1':
    case 'FIN_WAIT2':
    case 'LAST_ACK':
    case 'CLOSING':
      return 'closing';
    case 'TIME_WAIT':
    case 'CLOSE':
    case 'CLOSED_OK':
      return 'closed';
    case 'ERROR:ETIMEDOUT':
      return 'timeout';
    case 'ERROR:ECONNRESET':
    case 'ERROR:EPIPE':
      return 'reset';
    default:
      return state.startsWith('ERROR:') ? 'reset' : 'open';
  }
}

function endpointObservation(events: readonly HelperEvent[]): EndpointObservation {
  const states: { t: number; state: string }[] = [{ t: 0, state: 'START' }];
  let detail: string | undefined;
  for (const e of events) {
    if (e.ev === 'state' && e.state !== undefined) states.push({ t: e.t, state: e.state });
    if (e.ev === 'closed') states.push({ t: e.t, state: 'CLOSED_OK' });
    if (e.ev === 'error' && e.errno !== undefined) {
      states.push({ t: e.t, state: `ERROR:${e.errno}` });
      detail = e.errno === 'ETIMEDOUT' ? ((e.probes ?? 0) > 0 ? 'keepalive-timeout' : 'retransmit-timeout') : 'reset-received';
    }
  }
  return endpointFromStates(states, linuxEndpointOutcome, detail);
}

const CT_LINE = /\[(NEW|UPDATE|DESTROY)\]\s+tcp\s+6\s+(?:\d+\s+)?([A-Z_]+)?/;

function ctSessionState(s: string): SessionState {
  if (s === 'SYN_SENT' || s === 'SYN_RECV' || s === 'ESTABLISHED') return 'open';
  return 'closing';
}

function ctEnd(s: string): SessionEnd {
  if (s === 'TIME_WAIT') return 'tcp-fin';
  if (s === 'CLOSE') return 'tcp-rst';
  return 'aged-out';
}

/** An appliance's session history from its `conntrack -E` lines (our connection's only). */
export function sessionFromConntrack(lines: readonly { line: string; at: number }[], t0: number): SessionObservation {
  let seen = false;
  let state: string | null = null;
  const ends: { t: number; reason: SessionEnd }[] = [];
  for (const { line, at } of lines) {
    if (!line.includes(`port=${SERVER_PORT}`)) continue;
    const m = CT_LINE.exec(line);
    if (m === null) continue;
    const kind = m[1];
    if (kind === 'DESTROY') {
      ends.push({ t: Math.round((at - t0) * 1000) / 1000, reason: ctEnd(state ?? 'ESTABLISHED') });
      state = null;
    } else {
      seen = true;
      state = m[2] ?? state ?? 'ESTABLISHED';
    }
  }
  return { seen, ends, atHorizon: state === null ? 'none' : ctSessionState(state) };
}

async function readCounters(net: LabNet, role: NsRole, names: readonly string[]): Promise<Counters> {
  const json = await mustRun([...net.exec(role), 'nft', '-j', 'list', 'counters']);
  const doc = JSON.parse(json) as { nftables?: { counter?: { name?: string; packets?: number } }[] };
  const out: Record<string, number> = {};
  for (const item of doc.nftables ?? []) {
    const c = item.counter;
    if (c?.name !== undefined && names.includes(c.name)) out[c.name] = c.packets ?? 0;
  }
  return out;
}

async function ifindexNames(net: LabNet, role: NsRole): Promise<Map<number, string>> {
  const json = await mustRun(['ip', '-n', net.ns[role], '-j', 'link', 'show']);
  const links = JSON.parse(json) as { ifindex: number; ifname: string }[];
  return new Map(links.map((l) => [l.ifindex, l.ifname]));
}

function helperArgs(sc: LabScenario, role: Role): string {
  const e = role === 'client' ? sc.topology.client : sc.topology.server;
  return JSON.stringify({
    role,
    host: ADDR.server,
    port: SERVER_PORT,
    horizon: sc.horizon,
    keepalive: e.keepalive === 'off' ? null : { idle: e.keepalive.idle, interval: e.keepalive.interval, probes: e.keepalive.probes },
    idleClose: e.idleClose === 'never' ? null : e.idleClose,
    closeOnPeerFin: e.closeOnPeerFin,
    userTimeout: e.userTimeout ?? null,
    actions: role === 'client' ? sc.schedule : [],
  });
}

/**
 * Runs one scenario on real Linux. `tag` makes the namespace names unique
 * within this process; the capture is written to `outDir` (under a name
 * unique to this process and run, renamed to `<run name>.pcap` once read, so
 * two lab processes sharing `outDir`, e.g. two `npx vitest run test/lab`,
 * never write into one file: tcpdump truncates its file when it starts). The namespaces
 * are removed before this returns, whatever happens.
 */
export async function runReal(sc: LabScenario, tag: string, outDir: string): Promise<RealRun> {
  const started = Date.now();
  const tlpOff = !tailLossProbeOn();
  const net = await LabNet.create(tag, { retries2: sc.topology.client.retries2, ...(tlpOff ? { earlyRetrans: 0 } : {}) });
  const monitors: Monitor[] = [];
  let partial: string | null = null;
  try {
    if (sc.topology.client.retries2 !== sc.topology.server.retries2) throw new Error('the lab sets one tcp_retries2 per namespace: client and server must agree');
    const loose = !kbHop(sc.topology).appliances.firewall.rejectNonSyn;
    for (const a of ['appliance0', 'appliance1'] as const) {
      await net.sysctl(a, { 'net.netfilter.nf_conntrack_tcp_loose': loose ? 1 : 0 });
      await net.loadNft(a, applianceRuleset(sc.topology));
    }
    await net.loadNft('gwlb', gwlbRuleset(sc.topology, sc.choice));
    mkdirSync(outDir, { recursive: true });
    const capture = join(outDir, `${sc.name.replace(/[^A-Za-z0-9_-]+/g, '_')}.pcap`);
    partial = join(outDir, `.${sc.name.replace(/[^A-Za-z0-9_-]+/g, '_')}.${process.pid}-${tag}.pcap`);
    const limit = sc.horizon + 20;
    const server = Monitor.start('server', [...net.exec('server'), 'python3', HELPER, helperArgs(sc, 'server')], limit + 60, true);
    const client = Monitor.start('client', [...net.exec('client'), 'python3', HELPER, helperArgs(sc, 'client')], limit + 60, true);
    monitors.push(server, client);
    // Python may start slowly when several runs share the CPU: wait until both helpers are ready (the server listening), then go.
    for (const h of [server, client]) {
      if (!(await h.waitFor('"ready"', 60_000))) throw new Error(`${h.name} helper did not start: ${h.stderr}`);
    }
    const tcpdump = Monitor.start('tcpdump', [...net.exec('gwlb'), 'tcpdump', '-i', 'any', '-y', 'LINUX_SLL2', '-U', '-n', '-w', partial, 'tcp'], limit);
    monitors.push(tcpdump);
    const ct: Record<'gwlb' | 'appliance0' | 'appliance1', Monitor> = {
      gwlb: Monitor.start('conntrack-gwlb', [...net.exec('gwlb'), 'conntrack', '-E', '-p', 'tcp'], limit),
      appliance0: Monitor.start('conntrack-a0', [...net.exec('appliance0'), 'conntrack', '-E', '-p', 'tcp'], limit),
      appliance1: Monitor.start('conntrack-a1', [...net.exec('appliance1'), 'conntrack', '-E', '-p', 'tcp'], limit),
    };
    monitors.push(...Object.values(ct));
    // Listing the table makes the kernel reap expired entries at once, so DESTROY events come on time (bounded loop).
    const rounds = Math.ceil((sc.horizon + 3) / 0.25);
    for (const role of ['gwlb', 'appliance0', 'appliance1'] as const) {
      monitors.push(Monitor.start(`reaper-${role}`, [...net.exec(role), 'bash', '-c', `for i in $(seq ${rounds}); do conntrack -L >/dev/null 2>&1; sleep 0.25; done`], limit));
    }
    if (!(await tcpdump.waitFor('listening on', 20_000))) throw new Error(`tcpdump did not start in the GWLB namespace: ${tcpdump.stderr}`);
    await sleep(300);
    const t0 = Date.now() / 1000 + 0.3;
    for (const h of [server, client]) h.writeLine(t0.toFixed(6));
    await Promise.all([server.exited(), client.exited()]);
    const rest = t0 + sc.horizon + 0.3 - Date.now() / 1000;
    if (rest > 0) await sleep(rest * 1000);
    const counters = {
      gwlb: await readCounters(net, 'gwlb', GWLB_COUNTERS),
      appliance0: await readCounters(net, 'appliance0', APPLIANCE_COUNTERS),
      appliance1: await readCounters(net, 'appliance1', APPLIANCE_COUNTERS),
    };
    for (const m of monitors) await m.stop();
    const ifnames = await ifindexNames(net, 'gwlb');
    const packets = await readCapture(partial, ifnames, t0);
    renameSync(partial, capture);
    partial = null;
    const horizonOnly = <T extends { t: number }>(xs: readonly T[]): T[] => xs.filter((x) => x.t <= sc.horizon);
    const clientEv = parseHelper(client).filter((e) => e.t <= sc.horizon);
    const serverEv = parseHelper(server).filter((e) => e.t <= sc.horizon);
    if (!serverEv.some((e) => e.ev === 'listening')) throw new Error(`server helper failed: ${server.stderr || server.stdout}`);
    if (clientEv.length === 0) throw new Error(`client helper failed: ${client.stderr || client.stdout}`);
    const actions: ObservedAction[] = [];
    for (const e of clientEv) {
      if (e.ev === 'connected') actions.push({ t: e.t, action: 'connect', accepted: true });
      if (e.ev === 'error' && e.state === 'SYN_SENT') actions.push({ t: e.t, action: 'connect', accepted: false });
      if (e.ev === 'send') actions.push({ t: e.t, action: 'send', accepted: e.ok === true });
      if (e.ev === 'app-close') actions.push({ t: e.t, action: 'close', accepted: e.ok === true });
    }
    // Scheduled actions the helper never reached (the connection had already ended): refused.
    for (const a of sc.schedule) {
      if (!actions.some((x) => x.action === a.action && Math.abs(x.t - a.t) < 0.2)) actions.push({ t: a.t, action: a.action, accepted: false });
    }
    actions.sort((a, b) => a.t - b.t);
    const conntrackLines = (m: Monitor): { line: string; at: number }[] => m.lines.filter((l) => l.at - t0 <= sc.horizon);
    const observation: Observation = {
      segments: horizonOnly(segmentsFromCapture(packets)),
      client: endpointObservation(clientEv),
      server: endpointObservation(serverEv),
      sessions: [sessionFromConntrack(conntrackLines(ct.appliance0), t0), sessionFromConntrack(conntrackLines(ct.appliance1), t0)],
      actions,
    };
    const fmt = (m: Monitor): string[] => m.lines.filter((l) => l.line.includes(`port=${SERVER_PORT}`)).map((l) => `${(l.at - t0).toFixed(3)} ${l.line.trim()}`);
    return {
      observation,
      counters,
      conntrack: { appliance0: fmt(ct.appliance0), appliance1: fmt(ct.appliance1), gwlb: fmt(ct.gwlb) },
      helpers: { client: clientEv, server: serverEv },
      capture,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    for (const m of monitors) await m.stop();
    await net.destroy();
    if (partial !== null) rmSync(partial, { force: true });
  }
}
