import { describe, expect, it } from 'vitest';
import { meetsExpectations } from '../../src/check.ts';
import type { PropertyId } from '../../src/properties/catalogue.ts';
import { predict, predictionFor } from '../../src/properties/oracle.ts';
import { incidentPresetNames, loadPreset } from '../../src/scenarios/presets.ts';
import { toTopology } from '../../src/scenarios/toTopology.ts';
import { presetResult } from '../fixtures/presetResults.ts';

/*
 * The public incidents bundled as presets (docs/domain-facts.md §5, §11):
 * each shows what its report describes, and its fix holds. The windows are
 * the exact idle gaps the explorer reads off the zones.
 */

const result = presetResult;

const window = (name: string, property: string) => result(name).results.find((x) => x.property === property)?.window?.idleGap;

describe('public incidents as presets', () => {
  it.each(incidentPresetNames())('%s shows what its expect says', (name) => {
    const r = result(name);
    expect(r.complete).toBe(true);
    expect(meetsExpectations(r)).toBe(true);
  });

  it.each(incidentPresetNames())('%s: every verdict the oracle decides is the expected one', (name) => {
    const s = loadPreset(name);
    const p = predict(toTopology(s));
    for (const [id, want] of Object.entries(s.expect)) {
      const o = predictionFor(p, id as PropertyId);
      if (o.verdict !== 'unknown') expect({ id, verdict: o.verdict }).toEqual({ id, verdict: want });
    }
  });

  it('the oracle decides the drop or reset of every single-hop NAT gateway and NLB incident', () => {
    for (const name of ['nat-gateway-python-pool', 'nat-gateway-node-keepalive-350', 'nat-gateway-node-keepalive-349', 'nlb-grpc-no-keepalive', 'nlb-grpc-keepalive-300', 'nat-gateway-keepalive-7200']) {
      const p = predict(toTopology(loadPreset(name)));
      expect(predictionFor(p, 'no-mid-path-reset').verdict, name).not.toBe('unknown');
      expect(predictionFor(p, 'no-mid-path-drop').verdict, name).toBe('holds');
    }
  });

  it('a pooled connection through a NAT gateway is reset from 350 s idle on, 350 itself included ("350 seconds or more")', () => {
    expect(window('nat-gateway-python-pool', 'no-mid-path-reset')).toEqual({ from: 350, fromInclusive: true, to: null, toInclusive: false });
  });

  it('a Node keepalive of exactly 350 s is reset at the NAT gateway, one of 349 s is not', () => {
    expect(window('nat-gateway-node-keepalive-350', 'no-mid-path-reset')).toEqual({ from: 350, fromInclusive: true, to: 350, toInclusive: true });
    expect(result('nat-gateway-node-keepalive-349').results.every((x) => x.holds)).toBe(true);
  });

  it('an NLB resets a gRPC connection idle for longer than 350 s', () => {
    expect(window('nlb-grpc-no-keepalive', 'no-mid-path-reset')).toEqual({ from: 350, fromInclusive: false, to: null, toInclusive: false });
  });

  it('an Azure internal load balancer moves a flow idle for longer than 240 s to the other firewall, which drops it', () => {
    expect(window('azure-ilb-firewall-pair', 'no-mid-path-drop')).toEqual({ from: 240, fromInclusive: false, to: null, toInclusive: false });
  });

  it('an Azure load balancer with TCP reset resets an idle Kafka connection at exactly its timeout', () => {
    expect(window('azure-lb-kafka', 'no-mid-path-reset')).toEqual({ from: 600, fromInclusive: true, to: 600, toInclusive: true });
  });

  it('an OS keepalive of 7200 s is reset at a NAT gateway and kept by a Linux NAT instance', () => {
    expect(window('nat-gateway-keepalive-7200', 'no-mid-path-reset')).toMatchObject({ from: 350, fromInclusive: true });
    expect(result('nat-instance-keepalive-7200').results.every((x) => x.holds)).toBe(true);
  });
});
