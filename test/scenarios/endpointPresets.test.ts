import { describe, expect, it } from 'vitest';
import {
  ENDPOINT_PRESET_NAMES,
  ENDPOINT_PRESETS,
  endpointPresetKeepalive,
  isEndpointPresetName,
  resolveEndpointPreset,
  KEEPALIVE_LIMITS,
  KEEPALIVE_PRESETS,
} from '../../src/scenarios/keepalivePresets.ts';

describe('software endpoint presets (domain-facts §11.3)', () => {
  it('gives Go 15/15/9 on every OS', () => {
    for (const os of ['linux', 'windows', 'macos'] as const) expect(endpointPresetKeepalive('go', os)).toEqual({ idle: 15, interval: 15, probes: 9 });
  });

  it('leaves keepalive off for Node.js, pgJDBC and gRPC by default', () => {
    for (const name of ['node', 'pgjdbc', 'grpc'] as const) expect(endpointPresetKeepalive(name)).toBe('off');
  });

  it('gives Node.js setKeepAlive(true) the OS idle with Node\'s own interval 1 and count 10', () => {
    expect(endpointPresetKeepalive('node-keepalive')).toEqual({ idle: 7200, interval: 1, probes: 10 });
    expect(endpointPresetKeepalive('node-keepalive', 'macos')).toEqual({ idle: KEEPALIVE_PRESETS.macos.idle, interval: 1, probes: 10 });
  });

  it('gives pgJDBC tcpKeepAlive=true and libpq every timer from the OS', () => {
    expect(endpointPresetKeepalive('pgjdbc-tcpkeepalive')).toEqual({ idle: 7200, interval: 75, probes: 9 });
    expect(endpointPresetKeepalive('pgjdbc-tcpkeepalive', 'windows')).toEqual(KEEPALIVE_PRESETS.windows);
    expect(endpointPresetKeepalive('libpq', 'macos')).toEqual(KEEPALIVE_PRESETS.macos);
  });

  it('gives the Redis server tcp-keepalive 300 (interval 100, 3 probes on Linux; OS interval and count elsewhere)', () => {
    expect(endpointPresetKeepalive('redis-server')).toEqual({ idle: 300, interval: 100, probes: 3 });
    expect(endpointPresetKeepalive('redis-server', 'macos')).toEqual({ idle: 300, interval: 75, probes: 8 });
    expect(ENDPOINT_PRESETS['redis-server'].role).toBe('server');
  });

  it('gives librdkafka no idle close, except with an Azure bootstrap server (9 minutes)', () => {
    expect(resolveEndpointPreset('librdkafka')).toEqual({ keepalive: 'off', idleClose: 'never' });
    expect(resolveEndpointPreset('librdkafka-azure')).toEqual({ keepalive: 'off', idleClose: 540 });
    expect(resolveEndpointPreset('go', 'windows')).toEqual({ keepalive: { idle: 15, interval: 15, probes: 9 }, idleClose: 'never' });
  });

  it('leaves keepalive off for a Java Socket and an Envoy listener socket', () => {
    expect(endpointPresetKeepalive('java-socket')).toBe('off');
    expect(endpointPresetKeepalive('envoy-downstream')).toBe('off');
  });

  it('returns a fresh object, so a caller cannot change the OS presets', () => {
    const t = endpointPresetKeepalive('libpq');
    expect(t).not.toBe(KEEPALIVE_PRESETS.linux);
  });

  it('keeps every preset inside the socket-option limits and cites domain-facts §11.3', () => {
    for (const name of ENDPOINT_PRESET_NAMES) {
      expect(ENDPOINT_PRESETS[name].name).toBe(name);
      expect(ENDPOINT_PRESETS[name].source).toMatch(/domain-facts §11\.3/);
      for (const os of ['linux', 'windows', 'macos'] as const) {
        const k = endpointPresetKeepalive(name, os);
        if (k === 'off') continue;
        expect(k.idle).toBeGreaterThanOrEqual(KEEPALIVE_LIMITS.idle.min);
        expect(k.idle).toBeLessThanOrEqual(KEEPALIVE_LIMITS.idle.max);
        expect(k.interval).toBeGreaterThanOrEqual(KEEPALIVE_LIMITS.interval.min);
        expect(k.probes).toBeLessThanOrEqual(KEEPALIVE_LIMITS.probes.max);
      }
    }
  });

  it('does not clash with the OS preset names or off', () => {
    for (const n of ['linux', 'windows', 'macos', 'off']) expect(isEndpointPresetName(n)).toBe(false);
    expect(isEndpointPresetName('go')).toBe(true);
  });
});
