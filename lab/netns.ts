/**
 * The lab's network: five network namespaces per run, wired with veth pairs,
 * addressed only inside 10.200.0.0/16 and routed only among themselves.
 *
 * ```
 *  client ──veth── gwlb ──veth── server
 *   10.200.1.2     │  │          10.200.2.2
 *                 ga0 ga1        (gc 10.200.1.1, gs 10.200.2.1)
 *                  │    │
 *          appliance0  appliance1   (10.200.10.2, 10.200.11.2; hairpin: a
 *                                    segment comes back on the same veth)
 * ```
 *
 * AWS GWLB sends each segment to its appliance inside GENEVE and gets it back
 * the same way (domain-facts §1.1). This kernel has no GENEVE device
 * (toolchain.md, "Network namespaces"), so plain routing stands in for the
 * tunnel: the GWLB namespace routes a segment to appliance k by policy
 * routing on the packet mark (fwmark k+1 → table 101+k), the appliance
 * forwards it back over the same veth, and the GWLB namespace sends it on by
 * its main table (`iif ga<k> lookup main`). The appliance therefore sees the
 * endpoints' own addresses, as it would inside the GENEVE payload.
 *
 * Every namespace this module creates is recorded and deleted by
 * {@link LabNet.destroy}, by the signal/exit handlers of
 * {@link installCleanupHandlers}, or by `lab/cleanup.ts` for leftovers.
 */
import { execFileSync } from 'node:child_process';
import { CommandError, Monitor, mustRun, runCommand } from './proc.ts';

/** Every lab namespace name starts with this. */
export const NETNS_PREFIX = 'mplab-';

/** The roles of the five namespaces of one run. */
export type NsRole = 'client' | 'gwlb' | 'appliance0' | 'appliance1' | 'server';

/** Addresses inside the namespaces (never routed anywhere else). */
export const ADDR = {
  client: '10.200.1.2',
  server: '10.200.2.2',
  gwlbClientSide: '10.200.1.1',
  gwlbServerSide: '10.200.2.1',
  appliance: ['10.200.10.2', '10.200.11.2'],
  gwlbApplianceSide: ['10.200.10.1', '10.200.11.1'],
} as const;

/** The server's listening port. */
export const SERVER_PORT = 8080;

/** Interface names inside the GWLB namespace, by role. */
export const GWLB_IFACES = { client: 'gc', server: 'gs', appliance: ['ga0', 'ga1'] } as const;

const created = new Set<string>();

/** Namespaces created and not yet deleted, process-wide. */
export function liveNamespaces(): readonly string[] {
  return [...created];
}

function deleteNowSync(name: string): void {
  try {
    execFileSync('ip', ['netns', 'del', name], { stdio: 'ignore', timeout: 10_000 });
  } catch {
    // already gone
  }
  created.delete(name);
}

/**
 * Creates one lab namespace (name must start with {@link NETNS_PREFIX}) and
 * records it, so the exit and signal handlers delete it; for lab topologies
 * other than {@link LabNet} (the NAT lab). Throws {@link NamespaceUnavailableError}.
 */
export async function addLabNamespace(name: string): Promise<void> {
  if (!name.startsWith(NETNS_PREFIX)) throw new Error(`lab namespace ${name} must start with ${NETNS_PREFIX}`);
  installCleanupHandlers();
  const r = await runCommand(['ip', 'netns', 'add', name]);
  if (r.code !== 0) {
    throw new NamespaceUnavailableError(`cannot create network namespace ${name} (ip netns add: ${r.stderr.trim() || `exit ${r.code}`}); the conformance lab needs root and network namespaces`);
  }
  created.add(name);
}

/** Deletes a namespace made by {@link addLabNamespace} (idempotent). */
export async function deleteLabNamespace(name: string): Promise<void> {
  if (!created.has(name)) return;
  const r = await runCommand(['ip', 'netns', 'del', name]);
  if (r.code !== 0 && !r.stderr.includes('No such file')) deleteNowSync(name);
  created.delete(name);
}

let handlersInstalled = false;

/**
 * Deletes every namespace this process created, and stops every monitor,
 * on SIGINT, SIGTERM, SIGHUP and on process exit (also after an uncaught
 * exception). Idempotent.
 */
export function installCleanupHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  const cleanAll = (): void => {
    for (const m of Monitor.live) m.killNow();
    for (const n of [...created]) deleteNowSync(n);
  };
  process.on('exit', cleanAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      if (created.size > 0) process.stderr.write(`\nlab: ${sig}: removing ${created.size} namespace(s)\n`);
      cleanAll();
      // Then die of the signal as if no handler were installed.
      process.removeListener(sig, onSignal);
      process.kill(process.pid, sig);
    };
    process.on(sig, onSignal);
  }
}

/** Per-run settings of the network that are fixed at creation. */
export interface NetSettings {
  /** tcp_retries2 in the client and server namespaces (domain-facts §4.1). */
  readonly retries2: number;
  /** net.ipv4.tcp_early_retrans in the client and server namespaces; absent = Linux default (3: RACK-TLP on). */
  readonly earlyRetrans?: number;
}

/** Thrown when network namespaces cannot be created here: the lab fails with this, it never skips. */
export class NamespaceUnavailableError extends Error {}

/** One run's five namespaces and their wiring. */
export class LabNet {
  private destroyed = false;

  private constructor(
    readonly prefix: string,
    readonly ns: Readonly<Record<NsRole, string>>,
  ) {}

  /**
   * Creates the namespaces, veth pairs, addresses, routes and sysctls of one
   * run. On any failure it deletes what it created and throws
   * ({@link NamespaceUnavailableError} when even `ip netns add` fails).
   */
  static async create(tag: string, settings: NetSettings): Promise<LabNet> {
    installCleanupHandlers();
    const prefix = `${NETNS_PREFIX}${process.pid}-${tag}`;
    const ns: Record<NsRole, string> = {
      client: `${prefix}-c`,
      gwlb: `${prefix}-g`,
      appliance0: `${prefix}-a0`,
      appliance1: `${prefix}-a1`,
      server: `${prefix}-s`,
    };
    const net = new LabNet(prefix, ns);
    try {
      for (const name of Object.values(ns)) {
        const r = await runCommand(['ip', 'netns', 'add', name]);
        if (r.code !== 0) {
          throw new NamespaceUnavailableError(
            `cannot create network namespace ${name} (ip netns add: ${r.stderr.trim() || `exit ${r.code}`}); the conformance lab needs root and network namespaces`,
          );
        }
        created.add(name);
      }
      await net.wire(settings);
      return net;
    } catch (e) {
      await net.destroy();
      throw e;
    }
  }

  /** Runs `ip -n <ns> -batch -` with these lines. */
  private async ipBatch(role: NsRole, lines: readonly string[]): Promise<void> {
    await mustRun(['ip', '-n', this.ns[role], '-batch', '-'], { input: `${lines.join('\n')}\n` });
  }

  /** `sysctl -w` inside a namespace. */
  async sysctl(role: NsRole, settings: Readonly<Record<string, string | number>>): Promise<void> {
    const args = Object.entries(settings).map(([k, v]) => `${k}=${v}`);
    await mustRun(['ip', 'netns', 'exec', this.ns[role], 'sysctl', '-q', '-w', ...args]);
  }

  private async wire(settings: NetSettings): Promise<void> {
    const g = this.ns.gwlb;
    await this.ipBatch('client', ['link set lo up', `link add cv type veth peer name ${GWLB_IFACES.client} netns ${g}`]);
    await this.ipBatch('server', ['link set lo up', `link add sv type veth peer name ${GWLB_IFACES.server} netns ${g}`]);
    for (const k of [0, 1] as const) {
      await this.ipBatch(k === 0 ? 'appliance0' : 'appliance1', ['link set lo up', `link add av type veth peer name ${GWLB_IFACES.appliance[k]} netns ${g}`]);
    }
    await this.ipBatch('client', [`addr add ${ADDR.client}/24 dev cv`, 'link set cv up', `route add 10.200.2.0/24 via ${ADDR.gwlbClientSide} dev cv`]);
    await this.ipBatch('server', [`addr add ${ADDR.server}/24 dev sv`, 'link set sv up', `route add 10.200.1.0/24 via ${ADDR.gwlbServerSide} dev sv`]);
    for (const k of [0, 1] as const) {
      const gwSide = ADDR.gwlbApplianceSide[k];
      await this.ipBatch(k === 0 ? 'appliance0' : 'appliance1', [
        `addr add ${ADDR.appliance[k]}/24 dev av`,
        'link set av up',
        `route add 10.200.1.0/24 via ${gwSide} dev av`,
        `route add 10.200.2.0/24 via ${gwSide} dev av`,
      ]);
    }
    const gl: string[] = [
      'link set lo up',
      `addr add ${ADDR.gwlbClientSide}/24 dev ${GWLB_IFACES.client}`,
      `link set ${GWLB_IFACES.client} up`,
      `addr add ${ADDR.gwlbServerSide}/24 dev ${GWLB_IFACES.server}`,
      `link set ${GWLB_IFACES.server} up`,
    ];
    for (const k of [0, 1] as const) {
      const ifc = GWLB_IFACES.appliance[k];
      gl.push(
        `addr add ${ADDR.gwlbApplianceSide[k]}/24 dev ${ifc}`,
        `link set ${ifc} up`,
        `route add 10.200.1.0/24 via ${ADDR.appliance[k]} dev ${ifc} table ${101 + k}`,
        `route add 10.200.2.0/24 via ${ADDR.appliance[k]} dev ${ifc} table ${101 + k}`,
        // A segment coming back from appliance k goes on by the main table ...
        `rule add pref ${100 + k} iif ${ifc} lookup main`,
        // ... one pinned to appliance k (mark k+1) goes to it.
        `rule add pref ${200 + k} fwmark ${k + 1} lookup ${101 + k}`,
      );
    }
    await this.ipBatch('gwlb', gl);
    const noRp = (ifs: readonly string[]): Record<string, number> =>
      Object.fromEntries(ifs.flatMap((i) => [[`net.ipv4.conf.${i}.rp_filter`, 0], [`net.ipv4.conf.${i}.send_redirects`, 0]]));
    await this.sysctl('gwlb', {
      'net.ipv4.ip_forward': 1,
      ...noRp(['all', 'default', GWLB_IFACES.client, GWLB_IFACES.server, ...GWLB_IFACES.appliance]),
      // The GWLB stand-in picks up mid-stream segments as new flows (domain-facts §1.4, seed KB).
      'net.netfilter.nf_conntrack_tcp_loose': 1,
      'net.netfilter.nf_conntrack_tcp_be_liberal': 1,
    });
    for (const role of ['appliance0', 'appliance1'] as const) {
      await this.sysctl(role, { 'net.ipv4.ip_forward': 1, ...noRp(['all', 'default', 'av']) });
    }
    for (const role of ['client', 'server'] as const) {
      await this.sysctl(role, {
        'net.ipv4.tcp_retries2': settings.retries2,
        ...(settings.earlyRetrans === undefined ? {} : { 'net.ipv4.tcp_early_retrans': settings.earlyRetrans }),
      });
    }
  }

  /** Loads an nftables ruleset (text) into a namespace. */
  async loadNft(role: NsRole, ruleset: string): Promise<void> {
    try {
      await mustRun(['ip', 'netns', 'exec', this.ns[role], 'nft', '-f', '-'], { input: ruleset });
    } catch (e) {
      if (e instanceof CommandError) throw new Error(`nft ruleset for ${role} rejected:\n${e.message}\n--- ruleset ---\n${ruleset}`);
      throw e;
    }
  }

  /** argv prefix that runs a command inside a namespace. */
  exec(role: NsRole): string[] {
    return ['ip', 'netns', 'exec', this.ns[role]];
  }

  /** Deletes the namespaces (idempotent). */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const name of Object.values(this.ns)) {
      if (!created.has(name)) continue;
      const r = await runCommand(['ip', 'netns', 'del', name]);
      if (r.code !== 0 && !r.stderr.includes('No such file')) deleteNowSync(name);
      created.delete(name);
    }
  }
}
