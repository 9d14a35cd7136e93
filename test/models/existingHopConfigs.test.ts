import { describe, expect, it } from 'vitest';
import { parseConntrackLooseHopConfig, parseGwlbHopConfig, parsePanOsHopConfig } from '../../src/models/existingHopConfigs.ts';
import { expectConfigError } from './hopTestKit.ts';

describe('gwlb hop config', () => {
  it('is the GWLB flow config plus the open boundary, type and name left out', () => {
    expect(parseGwlbHopConfig({ type: 'gwlb', name: 'inspection', targets: 2, idleTimeout: 600 })).toEqual({
      idleTimeout: 600,
      targets: 2,
      stickiness: '5-tuple',
      unknownNonSyn: 'forward',
      resetOnIdleTimeout: false,
      boundary: 'open',
    });
    expect(parseGwlbHopConfig({ targets: 1, boundary: 'ambiguous' }).boundary).toBe('ambiguous');
  });

  it('names the field with its path in errors', () => {
    expectConfigError(() => parseGwlbHopConfig({ targets: 2, idleTimeout: 59 }, 'path.0'), 'path.0.idleTimeout', /^path\.0\.idleTimeout: 59 is below the AWS minimum 60/);
    expectConfigError(() => parseGwlbHopConfig({ targets: 2, boundary: 'x' }, 'path.0'), 'path.0.boundary', /allowed 'open' \| 'closed' \| 'ambiguous'/);
    expectConfigError(() => parseGwlbHopConfig({ targets: 2, tcpReset: true }), 'tcpReset', /unknown field/);
  });
});

describe('standalone firewall hop configs', () => {
  it('gives PAN-OS its defaults, idleTimeout being the established timeout', () => {
    const c = parsePanOsHopConfig({ idleTimeout: 1800 });
    expect(c).toMatchObject({ kind: 'pan-os', rejectNonSyn: true, idleTimeout: 1800, boundary: 'ambiguous', targets: 1 });
    expect(c.timeouts).toEqual({ init: 5, handshake: 10, established: 1800, halfClosed: 120, timeWait: 15 });
    expect(parsePanOsHopConfig({ rejectNonSyn: false, timeouts: { halfClosed: 30 } })).toMatchObject({ rejectNonSyn: false, idleTimeout: 3600, timeouts: { halfClosed: 30 } });
  });

  it('gives loose conntrack its defaults and refuses rejectNonSyn: true', () => {
    expect(parseConntrackLooseHopConfig({})).toMatchObject({ kind: 'conntrack-loose', rejectNonSyn: false, idleTimeout: 432_000 });
    expectConfigError(() => parseConntrackLooseHopConfig({ rejectNonSyn: true }, 'path.2'), 'path.2.rejectNonSyn', /true is not allowed for conntrack-loose/);
  });

  it('refuses out-of-range and unknown timeouts', () => {
    expectConfigError(() => parsePanOsHopConfig({ idleTimeout: 0 }), 'idleTimeout', /0 is below the minimum 1 \(allowed 1\.\.15999999 seconds\)/);
    expectConfigError(() => parsePanOsHopConfig({ timeouts: { established: 10 } }), 'timeouts.established', /unknown field \(allowed init, handshake, halfClosed, timeWait\)/);
  });
});
