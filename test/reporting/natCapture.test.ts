import { beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/check.ts';
import { NAT_HOP_TYPES, NAT_OUTSIDE_PORT_BASE, wireAddresses } from '../../src/reporting/wireAddresses.ts';
import { htmlReport } from '../../src/reporting/htmlReport.ts';
import { sequenceSvg } from '../../src/reporting/sequenceSvg.ts';
import { tracePcapng } from '../../src/reporting/tracePcapng.ts';
import { traceWireEvents } from '../../src/reporting/traceWireEvents.ts';
import { wireCapture } from '../../src/reporting/wirePackets.ts';
import { parseScenarioText } from '../../src/scenarios/loadScenario.ts';
import { loadPreset, presetNames } from '../../src/scenarios/presets.ts';
import { toTopology } from '../../src/scenarios/toTopology.ts';
import { hopName } from '../../src/system/componentRef.ts';
import type { Scenario } from '../../src/scenarios/scenario.ts';
import { field, openDissector, pcapngInterface, type DissectedFrame, type Dissector } from './wiregasm.ts';

/** A NAT gateway in front of an NLB: two hops, each by its own name. */
const NAT_NLB = parseScenarioText(
  `name: nat-then-nlb
connections: 2
client: { keepalive: off, idleClose: never }
server: { keepalive: off, idleClose: never }
path:
  - type: nat-gateway
    name: egress-nat
  - type: nlb
    name: db-nlb
    idleTimeout: 600
`,
  'nat-then-nlb.yaml',
);

/** The first counterexample of a scenario (the test fails if it has none). */
function counterexample(s: Scenario) {
  const r = check(s).results.find((x) => x.counterexample !== undefined);
  expect(r, `${s.name} has a counterexample`).toBeDefined();
  return r!.counterexample!;
}

/** What identifies a segment across capture points: direction, flags and raw sequence/ack numbers (a NAT rewrites neither). */
function segmentKey(f: DissectedFrame, clientIsSource: boolean): string {
  return `${clientIsSource ? 'c>s' : 's>c'} ${field(f, 'tcp.flags.str')} ${field(f, 'tcp.seq_raw')}/${field(f, 'tcp.ack_raw')}`;
}

let dissector: Dissector;
beforeAll(async () => {
  dissector = await openDissector();
}, 60_000);

describe.each([
  { label: 'preset nat-gateway-python-pool', scenario: loadPreset('nat-gateway-python-pool'), hops: ['nat-gateway'], nat: 'nat-gateway' },
  { label: 'NAT gateway then NLB (2 connections)', scenario: NAT_NLB, hops: ['egress-nat', 'db-nlb'], nat: 'egress-nat' },
])('NAT translation in the pcapng, read by Wireshark (wiregasm): $label', ({ scenario, hops, nat }) => {
  const addresses = wireAddresses(scenario);
  const trace = counterexample(scenario);
  const capture = wireCapture(traceWireEvents(trace), addresses);
  const bytes = tracePcapng(trace, addresses);
  const outside = addresses.hops?.[nat]?.translate;

  it('the NAT hop has a documented outside address, other hops none', () => {
    expect(outside?.address).toMatch(/^203\.0\.113\.\d+$/);
    expect(outside?.portBase).toBe(NAT_OUTSIDE_PORT_BASE);
    for (const h of hops) if (h !== nat) expect(addresses.hops?.[h]?.translate, h).toBeUndefined();
  });

  it('every hop of the path names an interface of its own', () => {
    const names = capture.interfaces.map((i) => i.name);
    for (const h of hops) expect(names.some((n) => n.split(' ⇄ ').includes(h)), `${h} in ${names.join(' | ')}`).toBe(true);
    expect(new Set(names).size).toBe(names.length);
    // Wireshark reads the names back from the interface description blocks
    capture.interfaces.forEach((iface, k) => {
      const frames = dissector.dissect(pcapngInterface(bytes, k));
      for (const f of frames) expect(field(f, 'frame.interface_name')).toBe(iface.name);
    });
  });

  it('inside address on the client side, outside address on the server side, for the same segments', () => {
    const clientSide = capture.interfaces.findIndex((i) => i.name === `client side ⇄ ${hops[0]}`);
    const serverSide = capture.interfaces.findIndex((i) => i.name === `${hops[hops.length - 1]} ⇄ server side`);
    expect(clientSide).toBeGreaterThanOrEqual(0);
    expect(serverSide).toBeGreaterThanOrEqual(0);
    const inside = dissector.dissect(pcapngInterface(bytes, clientSide));
    const behind = dissector.dissect(pcapngInterface(bytes, serverSide));
    const server = addresses.server;
    const byKey = (frames: DissectedFrame[]) => new Map(frames.map((f) => [segmentKey(f, field(f, 'ip.dst') === server), f] as const));
    const insideByKey = byKey(inside);
    let matched = 0;
    const conns = new Set<number>();
    for (const [key, out] of byKey(behind)) {
      const inn = insideByKey.get(key);
      if (inn === undefined) continue; // a segment generated behind the NAT (none here) or not on both
      matched += 1;
      const toServer = key.startsWith('c>s');
      const [innIp, innPort, outIp, outPort] = toServer
        ? [field(inn, 'ip.src'), field(inn, 'tcp.srcport'), field(out, 'ip.src'), field(out, 'tcp.srcport')]
        : [field(inn, 'ip.dst'), field(inn, 'tcp.dstport'), field(out, 'ip.dst'), field(out, 'tcp.dstport')];
      const conn = Number(innPort) - addresses.clientPortBase;
      conns.add(conn);
      expect(innIp, `${key}: client side shows the inside address`).toBe(addresses.client);
      expect(outIp, `${key}: server side shows the outside address`).toBe(outside!.address);
      expect(Number(outPort), `${key}: outside port`).toBe(outside!.portBase! + conn);
      expect(field(out, 'tcp.checksum.status')).toBe('Good');
      expect(field(out, 'ip.checksum.status')).toBe('Good');
      // the server's side of the tuple is not translated
      expect(toServer ? field(out, 'ip.dst') : field(out, 'ip.src')).toBe(server);
    }
    // the handshake (SYN, SYN-ACK, ACK) of every connection the trace opens crosses both points
    expect(conns.size).toBeGreaterThanOrEqual(1);
    expect(matched).toBeGreaterThanOrEqual(3 * conns.size);
    // and the inside address never leaks behind the NAT
    expect(behind.every((f) => field(f, 'ip.src') !== addresses.client && field(f, 'ip.dst') !== addresses.client)).toBe(true);
  });

  it('two captures of the same scenario are byte-identical', () => {
    expect(tracePcapng(trace, wireAddresses(scenario))).toEqual(bytes);
  });
});

/** A one-hop path of `type` with its defaults, parsed as a user's file. */
function oneHop(type: string): Scenario {
  return parseScenarioText(`name: one-${type}\nconnections: 1\nclient: { keepalive: off, idleClose: never }\nserver: { keepalive: off, idleClose: never }\npath:\n  - type: ${type}\n`, `${type}.yaml`);
}

describe('wire addresses per hop kind', () => {
  it.each(presetNames())('%s: every hop has its entry, named as in traces; only NAT kinds translate', (name) => {
    const s = loadPreset(name);
    const t = toTopology(s);
    const a = wireAddresses(s);
    s.path.forEach((h, i) => {
      const n = hopName(t, i);
      if (n === 'gwlb' && h.type === 'gwlb') return expect(a.hops?.[n]).toBeUndefined(); // the default GWLB of gwlb/appliances
      const hop = a.hops?.[n];
      expect(hop?.title, `${name}: hop ${i}`).toBe(n);
      expect(hop?.translate !== undefined, `${name}: ${h.type} translates`).toBe(NAT_HOP_TYPES.includes(h.type));
      expect(hop?.geneve).toBe(h.type === 'gwlb');
    });
  });

  it.each([
    ['nat-gateway', true],
    ['azure-nat-gateway', true],
    ['gcp-cloud-nat', true],
    ['linux-conntrack', false],
    ['nlb', false],
    ['azure-lb', false],
  ] as const)('%s: translates %s', (type, nat) => {
    const a = wireAddresses(oneHop(type));
    expect(a.hops?.[type]?.translate).toEqual(nat ? { address: '203.0.113.10', portBase: NAT_OUTSIDE_PORT_BASE } : undefined);
  });

  it('two NAT hops: each its own outside address and port range, by path position', () => {
    const s = parseScenarioText(`name: two-nats\nconnections: 1\nclient: { keepalive: off, idleClose: never }\nserver: { keepalive: off, idleClose: never }\npath:\n  - type: gcp-cloud-nat\n  - type: nlb\n  - type: nat-gateway\n`, 'two-nats.yaml');
    const a = wireAddresses(s);
    expect(a.hops?.['gcp-cloud-nat']?.translate).toEqual({ address: '203.0.113.10', portBase: 1024 });
    expect(a.hops?.['nlb']?.translate).toBeUndefined();
    expect(a.hops?.['nat-gateway']?.translate).toEqual({ address: '203.0.113.12', portBase: 1124 });
    expect(wireAddresses(s)).toEqual(a);
  });
});

describe('the sequence diagram and the step explorer name every hop of a NAT path', () => {
  const trace = counterexample(NAT_NLB);
  const result = check(NAT_NLB);

  it('the sequence diagram has a lane titled by each hop name, in path order', () => {
    const svg = sequenceSvg(trace);
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
    const at = ['client', 'egress-nat', 'db-nlb', 'server'].map((n) => texts.indexOf(n));
    expect(at.every((i) => i >= 0), `lane titles in ${texts.slice(0, 8).join(', ')}`).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('the step table and the explorer data carry each hop by name', () => {
    const html = htmlReport({ scenarios: [{ result, description: NAT_NLB.name }], machines: [] });
    for (const name of ['egress-nat', 'db-nlb']) {
      expect(html, `step text names ${name}`).toMatch(new RegExp(`<td>[^<]*${name}\\.flow0[^<]*</td>`));
      const data = /<script type="application\/json"[^>]*>([\s\S]*?)<\/script>/.exec(html);
      expect(data, 'explorer JSON').not.toBeNull();
      expect(data![1], `explorer states name ${name}`).toContain(`"${name}.flow0"`);
    }
  });
});
