import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { applianceAddress } from '../../src/scenarios/applianceAddress.ts';
import { HOP_KIND_NAMES } from '../../src/models/hopKinds.ts';
import { HOP_PRESETS, PRESET_HOP_TYPES, SUPPORTED_HOP_TYPES } from '../../src/scenarios/hopPresets.ts';
import { parseScenarioText } from '../../src/scenarios/loadScenario.ts';
import { ScenarioError } from '../../src/scenarios/scenarioError.ts';
import { validateScenario } from '../../src/scenarios/validateScenario.ts';

const minimal = { name: 'm', path: [{ type: 'gwlb' }] };

function errorOf(f: () => unknown): ScenarioError {
  try {
    f();
  } catch (e) {
    if (e instanceof ScenarioError) return e;
    throw e;
  }
  throw new Error('expected a ScenarioError');
}

describe('validateScenario', () => {
  it('fills every default from the real products', () => {
    expect(validateScenario(minimal, 'm.yaml')).toEqual({
      name: 'm',
      description: '',
      connections: 1,
      client: { keepalive: 'off', idleClose: 'never', closeOnPeerFin: true, retries2: 15, userTimeout: 'off' },
      server: { keepalive: 'off', idleClose: 'never', closeOnPeerFin: true, retries2: 15, userTimeout: 'off' },
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
      addresses: { client: '172.21.43.170', server: '198.18.226.52', gwlb: '172.21.200.78', appliance0: '172.21.200.84' },
      expect: {},
    });
  });

  it('takes conntrack-loose defaults when the appliance type says so', () => {
    const s = validateScenario({ ...minimal, path: [{ type: 'gwlb', appliances: { type: 'conntrack-loose', count: 3 } }] }, 'm');
    const hop = s.path[0];
    expect(hop && 'appliances' in hop ? hop.appliances : undefined).toEqual({ count: 3, type: 'conntrack-loose', tcpTimeout: 432000, rejectNonSyn: false, boundary: 'open' });
  });

  it.each([
    ['off', 'off'],
    [false, 'off'],
    ['linux', { idle: 7200, interval: 75, probes: 9 }],
    ['windows', { idle: 7200, interval: 1, probes: 10 }],
    ['macos', { idle: 7200, interval: 75, probes: 8 }],
    [{ idle: 325 }, { idle: 325, interval: 75, probes: 9 }],
    [{ idle: 60, interval: 10, probes: 3 }, { idle: 60, interval: 10, probes: 3 }],
  ])('resolves keepalive %j to %j', (input, resolved) => {
    expect(validateScenario({ ...minimal, client: { keepalive: input } }, 'm').client.keepalive).toEqual(resolved);
  });

  it('reads keepalive: off in YAML as the string off (YAML 1.2), and false as off too', () => {
    const s = parseScenarioText('name: y\nclient: { keepalive: off }\nserver: { keepalive: false, userTimeout: false }\npath: [{ type: gwlb }]\n', 'y.yaml');
    expect(s.client.keepalive).toBe('off');
    expect(s.server.keepalive).toBe('off');
    expect(s.server.userTimeout).toBe('off');
  });

  it('accepts JSON text', () => {
    const s = parseScenarioText(JSON.stringify({ ...minimal, server: { idleClose: 400 } }), 'm.json');
    expect(s.server.idleClose).toBe(400);
  });

  it('accepts tab-indented JSON', () => {
    const s = parseScenarioText('{\n\t"name": "tabs",\n\t"path": [\n\t\t{ "type": "gwlb", "idleTimeout": 600 }\n\t]\n}\n', 'tabs.json');
    expect(s.path[0]?.idleTimeout).toBe(600);
  });

  it('accepts and ignores a $schema property', () => {
    expect(validateScenario({ $schema: '../schema/scenario.schema.json', ...minimal }, 'm')).toEqual(validateScenario(minimal, 'm'));
  });

  it('returns a value that validates again to itself', () => {
    const s = validateScenario({ ...minimal, client: { keepalive: 'windows', userTimeout: 30 }, expect: { 'clean-close': 'holds' } }, 'm');
    expect(validateScenario(JSON.parse(JSON.stringify(s)), 'm')).toEqual(s);
    expect(parseScenarioText(stringify(s), 'm.yaml')).toEqual(s);
  });

  it('reports every problem at once, in source order, with lines', () => {
    const text = ['name: many', 'client:', '  keepAlive: linux', '  retries2: 0', 'path:', '  - type: gwlb', '    idleTimeout: 59', '    stickness: 5-tuple', ''].join('\n');
    const err = errorOf(() => parseScenarioText(text, 'many.yaml'));
    expect(err.format()).toBe(
      [
        'many.yaml: client.keepAlive: unknown field (did you mean keepalive?) (line 3)',
        'many.yaml: client.retries2: 0 is below the minimum 1 (allowed 1..255 retransmissions) (line 4)',
        'many.yaml: path[0].idleTimeout: 59 is below the AWS minimum 60 (allowed 60..6000 seconds) (line 7)',
        'many.yaml: path[0].stickness: unknown field (did you mean stickiness?) (line 8)',
      ].join('\n'),
    );
  });

  it('lists the allowed fields when an unknown field is not a near miss', () => {
    const err = errorOf(() => validateScenario({ ...minimal, expect: { 'foo-bar-baz': 'holds' } }, 'm'));
    expect(err.format()).toBe('m: expect.foo-bar-baz: unknown field (allowed: clean-close, no-half-open, no-mid-path-drop, no-mid-path-reset)');
  });

  it('reports a wrong field inside an explicit keepalive at that field', () => {
    const err = errorOf(() => validateScenario({ ...minimal, client: { keepalive: { idle: 'soon' } } }, 'm'));
    expect(err.format()).toBe("m: client.keepalive.idle: expected a whole number, got 'soon' (allowed 1..32767 seconds)");
  });

  it('refuses fractional seconds', () => {
    const err = errorOf(() => validateScenario({ ...minimal, server: { idleClose: 399.5 } }, 'm'));
    expect(err.format()).toBe('m: server.idleClose: 399.5 is not a whole number (allowed 1..2147483 seconds)');
  });

  it('refuses a bad address', () => {
    const err = errorOf(() => validateScenario({ ...minimal, addresses: { client: '300.1.1.1' } }, 'm'));
    expect(err.format()).toBe("m: addresses.client: expected an IPv4 address such as 172.21.43.170, got '300.1.1.1'");
  });

  it('refuses a value it cannot read without throwing anything else', () => {
    const hostile = new Proxy({}, { get: () => { throw new Error('boom'); }, ownKeys: () => { throw new Error('boom'); } });
    expect(() => validateScenario(hostile, 'proxy')).toThrow(ScenarioError);
  });
});

describe('hop types', () => {
  it('accepts every kind of the hop registry', () => {
    expect(SUPPORTED_HOP_TYPES).toEqual(HOP_KIND_NAMES);
    expect(SUPPORTED_HOP_TYPES).toEqual(expect.arrayContaining(['gwlb', 'pan-os', 'conntrack-loose', 'nat-gateway', 'nlb', 'eni-conntrack', 'aws-network-firewall', 'azure-lb', 'azure-nat-gateway', 'gcp-cloud-nat', 'gcp-firewall', 'linux-conntrack']));
  });

  it.each(HOP_KIND_NAMES)('validates a %s hop with its defaults filled in, and it loads back to the same scenario', (type) => {
    const s = validateScenario({ name: 'h', path: [{ type }] }, 'h');
    expect(s.path[0]?.type).toBe(type);
    expect(s.path[0]?.boundary).toMatch(/^(open|closed|ambiguous)$/);
    expect(validateScenario(JSON.parse(JSON.stringify(s)), 'h')).toEqual(s);
  });

  it('refuses a NAT gateway idle timeout other than 350, naming the allowed value', () => {
    const err = errorOf(() => validateScenario({ name: 'h', path: [{ type: 'nat-gateway', idleTimeout: 300 }] }, 'h'));
    expect(err.issues.map((i) => `${i.path}: ${i.message}`)).toEqual(['path[0].idleTimeout: 300 cannot be set, the AWS NAT gateway idle timeout is fixed (allowed 350 seconds)']);
  });

  it('refuses an out-of-range idle timeout with the allowed range, and an unknown field with the allowed ones', () => {
    const err = errorOf(() => validateScenario({ name: 'h', path: [{ type: 'nlb', idleTimeout: 30 }, { type: 'azure-lb', idleTimeout: 250 }, { type: 'linux-conntrack', tcpLose: true }] }, 'h'));
    expect(err.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'path[0].idleTimeout: 30 is below the AWS minimum 60 (allowed 60..6000 seconds)',
      'path[1].idleTimeout: 250 is not a whole number of minutes (allowed 240..7200 seconds in steps of 60, idleTimeoutInMinutes 4..120 minutes)',
      'path[2].tcpLose: unknown field (did you mean tcpLoose?)',
    ]);
  });

  it('refuses a wrong hop type, suggesting the closest and listing the hop types', () => {
    const err = errorOf(() => validateScenario({ name: 'h', path: [{ type: 'nat-gatway' }] }, 'h'));
    expect(err.issues).toEqual([{ path: 'path[0].type', code: 'unsupported-hop', message: `'nat-gatway' is not a hop type (hop types: ${HOP_KIND_NAMES.join(', ')}) (did you mean nat-gateway?)` }]);
  });

  it('keeps each preset\'s documented defaults as data', () => {
    expect(HOP_PRESETS['nat-gateway']).toMatchObject({ idleTimeout: 350, range: 'fixed', onExpiry: 'rst-to-sender-on-late-packet', midStreamPickup: false, boundary: 'closed' });
    expect(HOP_PRESETS.nlb).toMatchObject({ idleTimeout: 350, range: { min: 60, max: 6000 }, onExpiry: 'rst-to-sender-on-late-packet' });
    expect(HOP_PRESETS['azure-lb']).toMatchObject({ idleTimeout: 240, onExpiry: 'silent', onExpiryWithReset: 'rst-both' });
    expect(HOP_PRESETS['linux-conntrack']).toMatchObject({ idleTimeout: 432000, midStreamPickup: true });
    for (const t of PRESET_HOP_TYPES) {
      expect(HOP_PRESETS[t].type).toBe(t);
      expect(HOP_PRESETS[t].source).toMatch(/domain-facts §/);
    }
  });
});

describe('applianceAddress', () => {
  it('numbers appliances up from appliance0', () => {
    const a = validateScenario(minimal, 'm').addresses;
    expect([0, 1, 2].map((i) => applianceAddress(a, i))).toEqual(['172.21.200.84', '172.21.200.85', '172.21.200.86']);
    expect(applianceAddress({ ...a, appliance0: '10.0.0.255' }, 1)).toBe('10.0.1.0');
  });

  it('refuses an appliance0 with no room for the appliance count', () => {
    const err = errorOf(() => validateScenario({ ...minimal, addresses: { appliance0: '255.255.255.255' } }, 'm'));
    expect(err.format()).toBe('m: addresses.appliance0: 255.255.255.255 leaves no room for 2 consecutive appliance addresses');
  });
});

describe('path length', () => {
  it('takes 1..8 hops in order, each with an optional name, and refuses a ninth', () => {
    const path = [{ type: 'nat-gateway', name: 'egress' }, { type: 'gwlb' }, { type: 'pan-os' }, { type: 'nlb' }, { type: 'gcp-firewall' }, { type: 'linux-conntrack' }, { type: 'azure-lb' }, { type: 'eni-conntrack' }];
    const s = validateScenario({ name: 'eight', path }, 'eight');
    expect(s.path.map((h) => h.type)).toEqual(path.map((h) => h.type));
    expect(s.path[0]?.name).toBe('egress');
    const err = errorOf(() => validateScenario({ name: 'nine', path: [...path, { type: 'nlb' }] }, 'nine'));
    expect(err.issues.map((i) => `${i.path}: ${i.message}`)).toEqual(['path: has 9 hops (allowed 1..8)']);
  });

  it('refuses an empty path', () => {
    expect(errorOf(() => validateScenario({ name: 'none', path: [] }, 'none')).format()).toBe('none: path: must list at least one hop (e.g. - type: gwlb)');
  });
});
