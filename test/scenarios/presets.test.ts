import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseScenarioText } from '../../src/scenarios/loadScenario.ts';
import { incidentPresetNames, kbPresetNames, listPresets, loadPreset, presetNames } from '../../src/scenarios/presets.ts';
import { resolveScenario } from '../../src/node/loadScenarioFile.ts';
import type { Scenario } from '../../src/scenarios/scenario.ts';
import { ScenarioError } from '../../src/scenarios/scenarioError.ts';

/** The field names a fully resolved scenario has at each level. */
const TOP_KEYS = ['addresses', 'client', 'connections', 'description', 'expect', 'name', 'path', 'server'];
const ENDPOINT_KEYS = ['closeOnPeerFin', 'idleClose', 'keepalive', 'retries2', 'userTimeout'];
const GWLB_KEYS = ['appliances', 'boundary', 'idleTimeout', 'resetOnIdleTimeout', 'stickiness', 'type', 'unknownNonSyn'];
const APPLIANCE_KEYS = ['boundary', 'count', 'rejectNonSyn', 'tcpTimeout', 'type'];
const ADDRESS_KEYS = ['appliance0', 'client', 'gwlb', 'server'];

const sorted = (o: object): string[] => Object.keys(o).sort();

/** Asserts that every default is filled in: no field missing or undefined at any level. */
function expectFullyResolved(s: Scenario): void {
  expect(sorted(s)).toEqual(TOP_KEYS);
  for (const e of [s.client, s.server]) {
    expect(sorted(e)).toEqual(ENDPOINT_KEYS);
    if (e.keepalive !== 'off') expect(sorted(e.keepalive)).toEqual(['idle', 'interval', 'probes']);
  }
  for (const hop of s.path) {
    if (hop.type !== 'gwlb') continue;
    expect(sorted(hop)).toEqual(GWLB_KEYS);
    if ('appliances' in hop) expect(sorted(hop.appliances)).toEqual(APPLIANCE_KEYS);
  }
  expect(sorted(s.addresses)).toEqual(ADDRESS_KEYS);
  expect(JSON.stringify(s)).not.toContain('undefined');
}

describe('presets', () => {
  it('lists exactly the YAML files in src/scenarios/presets', () => {
    const dir = fileURLToPath(new URL('../../src/scenarios/presets/', import.meta.url));
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, ''));
    expect(files.sort()).toEqual(presetNames().sort());
  });

  it.each(presetNames())('%s loads, is named after its file, and has every default filled', (name) => {
    const s = loadPreset(name);
    expect(s.name).toBe(name);
    expectFullyResolved(s);
  });

  it.each(presetNames())('%s round-trips through YAML and JSON to an equal scenario', (name) => {
    const s = loadPreset(name);
    expect(parseScenarioText(stringify(s), `${name}.yaml`)).toEqual(s);
    expect(parseScenarioText(JSON.stringify(s, null, 2), `${name}.json`)).toEqual(s);
  });

  it.each(kbPresetNames())('%s describes itself citing KB 16099', (name) => {
    expect(loadPreset(name).description).toMatch(/KB 16099/);
  });

  it.each(incidentPresetNames())('%s names the public report it comes from, with its address and the domain facts', (name) => {
    const d = loadPreset(name).description;
    expect(d).toMatch(/https:\/\/\S+/);
    expect(d).toMatch(/docs\/domain-facts\.md §[\d.]+(, §[\d.]+)*/);
    expect(d).toMatch(/§(5|11)\b/);
  });

  it('bundles at least eight incidents, each followed by its fix or comparison, which holds', () => {
    const names = incidentPresetNames();
    const violated = names.filter((n) => Object.values(loadPreset(n).expect).includes('violated'));
    expect(violated.length).toBeGreaterThanOrEqual(8);
    for (const n of violated) {
      const next = names[names.indexOf(n) + 1];
      expect(next, `${n} is followed by its fix`).toBeDefined();
      const fix = loadPreset(next!);
      expect(Object.values(fix.expect), `${next} holds everywhere it states`).not.toContain('violated');
      expect(loadPreset(n).description, `${n} names its fix`).toContain(next!);
    }
  });

  it('pins the outcome each preset must show', () => {
    const expectations = Object.fromEntries(presetNames().map((n) => [n, loadPreset(n).expect]));
    expect(expectations).toEqual({
      // a property not named must hold (issue 11 §4): the consequences of a drop or a reset are named too
      'kb-16099': { 'no-mid-path-drop': 'violated', 'no-half-open': 'violated', 'clean-close': 'violated' },
      'kb-16099-keepalive-325': { 'no-mid-path-drop': 'holds' },
      'kb-16099-server-idle-325': { 'no-mid-path-drop': 'holds' },
      'kb-16099-gwlb-timeout-600': { 'no-mid-path-drop': 'holds' },
      'kb-16099-fw-timeout-300': { 'no-mid-path-drop': 'violated', 'no-half-open': 'violated', 'clean-close': 'violated' },
      'kb-16099-gwlb-reset': { 'no-mid-path-drop': 'holds', 'no-mid-path-reset': 'violated', 'no-half-open': 'violated', 'clean-close': 'violated' },
      'nat-gateway-python-pool': { 'no-mid-path-drop': 'holds', 'no-mid-path-reset': 'violated', 'no-half-open': 'violated', 'clean-close': 'violated' },
      'nat-gateway-python-pool-keepalive': { 'no-mid-path-drop': 'holds', 'no-mid-path-reset': 'holds', 'no-half-open': 'holds', 'clean-close': 'holds' },
      'nat-gateway-node-keepalive-350': { 'no-mid-path-drop': 'holds', 'no-mid-path-reset': 'violated', 'no-half-open': 'violated', 'clean-close': 'violated' },
      'nat-gateway-node-keepalive-349': { 'no-mid-path-drop': 'holds', 'no-mid-path-reset': 'holds', 'no-half-open': 'holds', 'clean-close': 'holds' },
      'nlb-grpc-no-keepalive': { 'no-mid-path-drop': 'holds', 'no-mid-path-reset': 'violated', 'no-half-open': 'violated', 'clean-close': 'violated' },
      'nlb-grpc-keepalive-300': { 'no-mid-path-drop': 'holds', 'no-mid-path-reset': 'holds', 'no-half-open': 'holds', 'clean-close': 'holds' },
      'nlb-pgbouncer-keepalive-7200': { 'no-mid-path-drop': 'holds', 'no-mid-path-reset': 'violated', 'no-half-open': 'violated', 'clean-close': 'violated' },
      'nlb-pgbouncer-keepalive-300': { 'no-mid-path-drop': 'holds', 'no-mid-path-reset': 'holds', 'no-half-open': 'holds', 'clean-close': 'holds' },
      'azure-ilb-firewall-pair': { 'no-mid-path-drop': 'violated', 'no-mid-path-reset': 'holds', 'no-half-open': 'violated', 'clean-close': 'violated' },
      'azure-ilb-firewall-pair-keepalive': { 'no-mid-path-drop': 'holds', 'no-mid-path-reset': 'holds', 'no-half-open': 'holds', 'clean-close': 'holds' },
      'azure-lb-kafka': { 'no-mid-path-drop': 'holds', 'no-mid-path-reset': 'violated', 'no-half-open': 'holds', 'clean-close': 'holds' },
      'azure-lb-kafka-idle-540': { 'no-mid-path-drop': 'holds', 'no-mid-path-reset': 'holds', 'no-half-open': 'holds', 'clean-close': 'holds' },
      'gcp-firewall-10-minutes': { 'no-mid-path-drop': 'violated', 'no-mid-path-reset': 'holds', 'no-half-open': 'holds', 'clean-close': 'holds' },
      'gcp-firewall-keepalive-300': { 'no-mid-path-drop': 'holds', 'no-mid-path-reset': 'holds', 'no-half-open': 'holds', 'clean-close': 'holds' },
      'nat-gateway-keepalive-7200': { 'no-mid-path-drop': 'holds', 'no-mid-path-reset': 'violated', 'no-half-open': 'violated', 'clean-close': 'violated' },
      'nat-instance-keepalive-7200': { 'no-mid-path-drop': 'holds', 'no-mid-path-reset': 'holds', 'no-half-open': 'holds', 'clean-close': 'holds' },
    });
  });

  it('resolves kb-16099 to the KB setup with the products\' defaults', () => {
    const s = loadPreset('kb-16099');
    expect(s).toMatchObject({
      connections: 1,
      client: { keepalive: 'off', idleClose: 'never', closeOnPeerFin: true, retries2: 15, userTimeout: 'off' },
      server: { keepalive: 'off', idleClose: 400 },
      path: [
        {
          type: 'gwlb',
          idleTimeout: 350,
          stickiness: '5-tuple',
          resetOnIdleTimeout: false,
          unknownNonSyn: 'forward',
          boundary: 'open',
          appliances: { count: 2, type: 'pan-os', tcpTimeout: 3600, rejectNonSyn: true, boundary: 'open' },
        },
      ],
      addresses: { client: '172.21.43.170', gwlb: '172.21.200.78', appliance0: '172.21.200.84' },
    });
  });

  it('differs from kb-16099 in exactly the setting each fix changes', () => {
    const base = loadPreset('kb-16099');
    const withoutText = (s: Scenario) => ({ ...s, name: '', description: '', expect: {} });
    const patched = (f: (s: Scenario) => Scenario) => withoutText(f(base));
    const hop = base.path[0];
    if (hop === undefined || hop.type !== 'gwlb' || !('appliances' in hop)) throw new Error('kb-16099 has no GWLB hop');
    const gwlbHop = hop;
    expect(withoutText(loadPreset('kb-16099-keepalive-325'))).toEqual(patched((s) => ({ ...s, client: { ...s.client, keepalive: { idle: 325, interval: 75, probes: 9 } } })));
    expect(withoutText(loadPreset('kb-16099-server-idle-325'))).toEqual(patched((s) => ({ ...s, server: { ...s.server, idleClose: 325 } })));
    expect(withoutText(loadPreset('kb-16099-gwlb-timeout-600'))).toEqual(patched((s) => ({ ...s, path: [{ ...hop, idleTimeout: 600 }] })));
    expect(withoutText(loadPreset('kb-16099-fw-timeout-300'))).toEqual(patched((s) => ({ ...s, path: [{ ...gwlbHop, appliances: { ...gwlbHop.appliances, tcpTimeout: 300 } }] })));
    expect(withoutText(loadPreset('kb-16099-gwlb-reset'))).toEqual(patched((s) => ({ ...s, path: [{ ...hop, resetOnIdleTimeout: true }] })));
  });

  it('lists every preset with its description', () => {
    const list = listPresets();
    expect(list.map((p) => p.name)).toEqual(presetNames());
    for (const p of list) expect(p.description.length).toBeGreaterThan(100);
  });

  it('refuses an unknown preset name with the closest one', () => {
    expect(() => loadPreset('kb-1609')).toThrow(ScenarioError);
    expect(() => loadPreset('kb-1609')).toThrow(/did you mean kb-16099\?/);
  });
});

describe('resolveScenario', () => {
  it('takes a preset name', () => {
    expect(resolveScenario('kb-16099')).toEqual(loadPreset('kb-16099'));
  });

  it('takes a file path', () => {
    const path = fileURLToPath(new URL('../../src/scenarios/presets/kb-16099-gwlb-reset.yaml', import.meta.url));
    expect(resolveScenario(path)).toEqual(loadPreset('kb-16099-gwlb-reset'));
  });

  it('refuses a name that is neither a preset nor a file, suggesting the closest preset', () => {
    let err: unknown;
    try {
      resolveScenario('kb-16909');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ScenarioError);
    expect((err as ScenarioError).format()).toBe(
      `kb-16909: neither a preset nor a file (did you mean kb-16099?); presets: ${presetNames().join(', ')}`,
    );
  });

  it('reports a missing file path as not found', () => {
    expect(() => resolveScenario('./no/such/scenario.yaml')).toThrow(/no such file/);
  });
});
