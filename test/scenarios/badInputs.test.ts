import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../src/scenarios/loadScenario.ts';
import { loadScenarioFile } from '../../src/node/loadScenarioFile.ts';
import { ScenarioError, type ScenarioIssueCode } from '../../src/scenarios/scenarioError.ts';

const BAD = fileURLToPath(new URL('./fixtures/bad/', import.meta.url));

/** The error a loader call raises; fails the test when it raises nothing or something else. */
function errorOf(f: () => unknown): ScenarioError {
  try {
    f();
  } catch (e) {
    if (e instanceof ScenarioError) return e;
    throw new Error(`expected a ScenarioError, got ${String(e)}`);
  }
  throw new Error('expected a ScenarioError, but the scenario was accepted');
}

/**
 * Each bad fixture and the exact lines `format()` prints for it (after the
 * `<file>: ` prefix), with the issue codes.
 */
const CASES: { file: string; lines: string[]; codes: ScenarioIssueCode[] }[] = [
  {
    file: 'malformed-yaml.yaml',
    lines: [
      'YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ] (line 5)',
      'YAML syntax error: All mapping items must start at the same column (line 5)',
    ],
    codes: ['syntax', 'syntax'],
  },
  {
    file: 'wrong-types.yaml',
    lines: [
      "connections: expected a whole number, got 'two' (allowed 1..3 connections) (line 2)",
      "client.closeOnPeerFin: expected true or false, got 'yes' (YAML 1.2 reads it as text: write true or false) (line 4)",
    ],
    codes: ['invalid-value', 'invalid-value'],
  },
  { file: 'idle-timeout-59.yaml', lines: ['path[0].idleTimeout: 59 is below the AWS minimum 60 (allowed 60..6000 seconds) (line 9)'], codes: ['invalid-value'] },
  { file: 'idle-timeout-6001.yaml', lines: ['path[0].idleTimeout: 6001 is above the AWS maximum 6000 (allowed 60..6000 seconds) (line 4)'], codes: ['invalid-value'] },
  {
    file: 'unknown-hop.yaml',
    lines: [
      "path[0].type: 'gwlbx' is not a hop type (hop types: gwlb, pan-os, conntrack-loose, nat-gateway, nlb, eni-conntrack, aws-network-firewall, azure-lb, azure-nat-gateway, gcp-cloud-nat, gcp-firewall, linux-conntrack) (did you mean gwlb?) (line 3)",
    ],
    codes: ['unsupported-hop'],
  },
  {
    file: 'nat-gateway-timeout.yaml',
    lines: ['path[1].idleTimeout: 300 cannot be set, the AWS NAT gateway idle timeout is fixed (allowed 350 seconds) (line 5)'],
    codes: ['invalid-value'],
  },
  { file: 'unknown-field.yaml', lines: ['client.keepAlive: unknown field (did you mean keepalive?) (line 3)'], codes: ['unknown-field'] },
  { file: 'empty.yaml', lines: ['the file is empty (a scenario needs at least name and path)'], codes: ['empty'] },
  {
    file: 'huge-numbers.yaml',
    lines: [
      'server.idleClose: Infinity: the number is too large to represent (allowed 1..2147483 seconds) (line 3)',
      'path[0].idleTimeout: 100000000000000000000 is above the AWS maximum 6000 (allowed 60..6000 seconds) (line 6)',
    ],
    codes: ['invalid-value', 'invalid-value'],
  },
  {
    file: 'alias-bomb.yaml',
    lines: ['YAML aliases expand to too many nodes (limit 100 alias expansions); this looks like a "billion laughs" file'],
    codes: ['alias-limit'],
  },
  { file: 'keepalive-probes-0.yaml', lines: ['client.keepalive.probes: 0 is below the minimum 1 (allowed 1..127 probes) (line 6)'], codes: ['invalid-value'] },
  { file: 'connections-4.yaml', lines: ['connections: 4 is above the maximum 3 (allowed 1..3 connections) (line 2)'], codes: ['invalid-value'] },
  { file: 'appliances-count-0.yaml', lines: ['path[0].appliances.count: 0 is below the minimum 1 (allowed 1..16 appliances) (line 5)'], codes: ['invalid-value'] },
  // one error on the field the user wrote, with the range the file format allows (not also `targets`, 1..64, from the Azure LB parser)
  {
    file: 'azure-lb-backends-count-huge.yaml',
    lines: ['path[0].backends.count: 100000 is above the maximum 16 (allowed 1..16 appliances) (line 5)'],
    codes: ['invalid-value'],
  },
  // not also "appliance0 leaves no room for 100000 consecutive appliance addresses"
  {
    file: 'gwlb-appliances-count-huge.yaml',
    lines: ['path[0].appliances.count: 100000 is above the maximum 16 (allowed 1..16 appliances) (line 7)'],
    codes: ['invalid-value'],
  },
  { file: 'duplicate-key.yaml', lines: ['path[0].idleTimeout: duplicate key (first at line 4) (line 5)'], codes: ['duplicate-key'] },
  {
    file: 'top-level-list.yaml',
    lines: ['expected a mapping of scenario fields (name, path, client, server, …) at the top level, got a list (line 1)'],
    codes: ['invalid-value'],
  },
  { file: 'negative-number.yaml', lines: ['server.idleClose: -400 is below the minimum 1 (allowed 1..2147483 seconds) (line 3)'], codes: ['invalid-value'] },
  {
    file: 'keepalive-true.yaml',
    lines: ['client.keepalive: true does not say which setting to use (allowed: off, linux, windows, macos, false, or { idle, interval, probes }) (line 3)'],
    codes: ['invalid-value'],
  },
  {
    file: 'conntrack-reject-non-syn.yaml',
    lines: [
      'path[0].appliances.rejectNonSyn: true is not allowed: conntrack-loose adopts mid-stream flows (nf_conntrack_tcp_loose=1) (allowed: false; use type: pan-os to reject non-SYN segments) (line 6)',
    ],
    codes: ['invalid-value'],
  },
  { file: 'missing-path.yaml', lines: ['path: required field is missing (a list of hops, e.g. - type: gwlb)'], codes: ['invalid-value'] },
  { file: 'two-documents.yaml', lines: ['the text holds more than one YAML document (a scenario file holds one) (line 4)'], codes: ['syntax'] },
  {
    file: 'bad-enum.yaml',
    lines: ["path[0].stickiness: '4-tuple' is not allowed (allowed: 5-tuple, 3-tuple, 2-tuple) (did you mean 5-tuple?) (line 4)"],
    codes: ['invalid-value'],
  },
];

describe('bad scenario files', () => {
  it('has a table row for every fixture in fixtures/bad', () => {
    expect(readdirSync(BAD).sort()).toEqual(CASES.map((c) => c.file).sort());
  });

  it.each(CASES)('$file gives a ScenarioError naming the field and line', ({ file, lines, codes }) => {
    const path = join(BAD, file);
    const before = readFileSync(path);
    const err = errorOf(() => loadScenarioFile(path));
    expect(err.format()).toBe(lines.map((l) => `${path}: ${l}`).join('\n'));
    expect(err.message).toBe(err.format());
    expect(err.issues.map((i) => i.code)).toEqual(codes);
    expect(readFileSync(path)).toEqual(before);
  });

  it.each(CASES)('$file gives the same issues when parsed from text', ({ file }) => {
    const path = join(BAD, file);
    const fromFile = errorOf(() => loadScenarioFile(path));
    const fromText = errorOf(() => parseScenarioText(readFileSync(path, 'utf8'), path));
    expect(fromText.issues).toEqual(fromFile.issues);
  });
});

describe('bad scenario inputs built in the test', () => {
  const dir = mkdtempSync(join(tmpdir(), 'midpath-scenarios-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a file over 1 MiB before reading it', () => {
    const path = join(dir, 'big.yaml');
    const text = `name: big\ndescription: ${'x'.repeat(1024 * 1024)}\npath: [{ type: gwlb }]\n`;
    writeFileSync(path, text);
    const err = errorOf(() => loadScenarioFile(path));
    expect(err.issues).toEqual([
      { path: '', code: 'too-large', message: `the file is ${Buffer.byteLength(text)} bytes, over the 1 MiB limit (1048576 bytes) for a scenario` },
    ]);
  });

  it('refuses text over 1 MiB', () => {
    const err = errorOf(() => parseScenarioText(`# ${'é'.repeat(600 * 1024)}\n`, 'big.yaml'));
    expect(err.issues[0]?.code).toBe('too-large');
  });

  it('reports a missing file', () => {
    const path = join(dir, 'missing.yaml');
    expect(errorOf(() => loadScenarioFile(path)).format()).toBe(`${path}: no such file`);
  });

  it('reports a directory', () => {
    expect(errorOf(() => loadScenarioFile(dir)).format()).toBe(`${dir}: is a directory, not a scenario file`);
  });

  it('refuses a file that is not UTF-8', () => {
    const path = join(dir, 'binary.yaml');
    writeFileSync(path, Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xff, 0xfe, 0x00]));
    expect(errorOf(() => loadScenarioFile(path)).issues[0]?.code).toBe('io');
  });

  it('refuses deeply nested text before parsing it', () => {
    const err = errorOf(() => parseScenarioText(`name: deep\npath: ${'['.repeat(5000)}${']'.repeat(5000)}\n`, 'deep.yaml'));
    expect(err.issues[0]?.code).toBe('too-large');
  });

  it('refuses a duplicate key in JSON', () => {
    const err = errorOf(() => parseScenarioText('{"name": "a", "path": [{"type": "gwlb"}], "name": "b"}', 'dup.json'));
    expect(err.format()).toBe('dup.json: name: duplicate key (first at line 1) (line 1)');
  });

  it('refuses a JSON syntax error with its line', () => {
    const err = errorOf(() => parseScenarioText('{\n  "name": "a",\n  "path": [{"type": "gwlb"}\n}\n', 'bad.json'));
    expect(err.issues[0]?.code).toBe('syntax');
    expect(err.issues[0]?.line).toBeGreaterThanOrEqual(3);
  });
});
