import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flagsOf, type SegmentKind } from '../../src/models/segment.ts';
import type { Trace } from '../../src/system/trace.ts';
import { runMidpath, type Run } from '../cli/runMidpath.ts';
import { field, fields, openDissector, type Dissector } from './wiregasm.ts';

/** The KB presets whose reports are checked end to end. */
const PRESETS = ['kb-16099', 'kb-16099-fw-timeout-300', 'kb-16099-gwlb-reset', 'kb-16099-keepalive-325'];

interface Frame {
  ipSrc: readonly string[];
  ipDst: readonly string[];
  flags: string;
  srcPort: number;
  dstPort: number;
  udpDstPort: string;
  optionClasses: readonly string[];
  optionTypes: readonly string[];
}

/** The frames of a pcapng file as Wireshark (wiregasm) reads them. */
function framesIn(d: Dissector, file: string): Frame[] {
  return d.dissect(readFileSync(file)).map((f) => ({
    ipSrc: fields(f, 'ip.src'),
    ipDst: fields(f, 'ip.dst'),
    flags: field(f, 'tcp.flags.str').replace(/[·.]/g, ''),
    srcPort: Number(field(f, 'tcp.srcport')),
    dstPort: Number(field(f, 'tcp.dstport')),
    udpDstPort: field(f, 'udp.dstport'),
    optionClasses: fields(f, 'geneve.option.class'),
    optionTypes: fields(f, 'geneve.option.type'),
  }));
}

function flagLetters(kind: SegmentKind): string {
  const f = flagsOf(kind);
  return `${f.ack ? 'A' : ''}${f.psh ? 'P' : ''}${f.rst ? 'R' : ''}${f.syn ? 'S' : ''}${f.fin ? 'F' : ''}`;
}

/** results.json without its one timing. */
const withoutMs = (text: string): string => text.replace(/"ms": \d+(\.\d+)?/g, '"ms": 0');

describe('check --out on the KB presets (real binary)', () => {
  const dirs = [mkdtempSync(join(tmpdir(), 'midpath-report-a-')), mkdtempSync(join(tmpdir(), 'midpath-report-b-'))];
  let runs: Run[] = [];
  let files: string[] = [];
  let dissector: Dissector;

  beforeAll(async () => {
    [runs, dissector] = await Promise.all([Promise.all(dirs.map((d) => runMidpath(['check', ...PRESETS, '--out', d]))), openDissector()]);
    files = readdirSync(dirs[0]!).sort();
  }, 120_000);

  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('exits 0 and writes index.html, machine graphs and per counterexample trace, pcapng and mmd', () => {
    expect(runs.map((r) => r.code)).toEqual([0, 0]);
    for (const m of ['tcpEndpoint', 'gwlbFlow', 'firewallSession']) expect(files).toEqual(expect.arrayContaining([`${m}.dot`, `${m}.svg`]));
    expect(files).toContain('index.html');
    const traces = files.filter((f) => f.endsWith('.trace.json'));
    expect(traces).toContain('kb-16099.no-mid-path-drop.trace.json');
    for (const t of traces) {
      const base = t.replace(/\.trace\.json$/, '');
      expect(files).toEqual(expect.arrayContaining([`${base}.pcapng`, `${base}.mmd`]));
    }
  });

  it('writes byte-identical reports on two runs (results.json up to stats.ms)', () => {
    expect(readdirSync(dirs[1]!).sort()).toEqual(files);
    for (const f of files) {
      const a = readFileSync(join(dirs[0]!, f));
      const b = readFileSync(join(dirs[1]!, f));
      if (f === '.midpath-manifest.json') continue; // lists results.json's hash, which includes stats.ms
      if (f === 'results.json') expect(withoutMs(b.toString('utf8'))).toBe(withoutMs(a.toString('utf8')));
      else expect(Buffer.compare(a, b), f).toBe(0);
    }
  });

  it('every pcapng reads in Wireshark (wiregasm) with the AWS GENEVE options, the trace segments and the drop point', () => {
    const framesOf = (file: string): Frame[] => framesIn(dissector, file);
    const pcaps = files.filter((f) => f.endsWith('.pcapng'));
    expect(pcaps.length).toBeGreaterThanOrEqual(4);
    for (const p of pcaps) {
      const trace = JSON.parse(readFileSync(join(dirs[0]!, p.replace(/\.pcapng$/, '.trace.json')), 'utf8')) as Trace;
      const frames = framesOf(join(dirs[0]!, p));
      const geneve = frames.filter((f) => f.udpDstPort === '6081');
      expect(geneve.length, p).toBeGreaterThan(0);
      for (const g of geneve) {
        expect(g.optionClasses.map((c) => Number(c))).toEqual([0x0108, 0x0108, 0x0108]);
        expect(g.optionTypes.map((t) => Number(t))).toEqual([1, 2, 3]);
      }
      for (const f of frames) expect([f.srcPort, f.dstPort].sort((a, b) => a - b), p).toEqual([443, 49152]);
      // every segment of the trace shows on the wire, in order, with its TCP flags
      const kinds = trace.steps.filter((s) => s.kind === 'segment' && s.segment).map((s) => flagLetters(s.segment!.kind));
      let at = 0;
      for (const k of kinds) {
        while (at < frames.length && frames[at]!.flags !== k) at++;
        expect(at, `${p}: a frame with flags ${k}`).toBeLessThan(frames.length);
      }
      const v = trace.steps[trace.violationStep]!;
      if (v.outcome === 'dropped') {
        const hop = v.hops!.find((h) => h.action === 'drop')!;
        const k = Number(/^appliance(\d+)/.exec(hop.component)![1]);
        const last = frames[frames.length - 1]!;
        expect(last.flags).toBe(flagLetters(v.segment!.kind));
        expect(last.udpDstPort).toBe('6081');
        expect(last.ipDst[0], `${p}: dropped on its way to appliance ${k}`).toBe(`172.21.200.${84 + k}`);
      }
    }
  });

  it('every Mermaid file is a sequence diagram naming every lane', () => {
    for (const f of files.filter((x) => x.endsWith('.mmd'))) {
      const text = readFileSync(join(dirs[0]!, f), 'utf8');
      expect(text).toMatch(/^%% midpath: .*\nsequenceDiagram\n/);
      for (const p of ['client', 'gwlb', 'appliance0', 'server']) expect(text).toContain(`participant ${p}`);
    }
  });
});
