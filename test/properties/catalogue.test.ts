import { describe, expect, it } from 'vitest';
import { checkTopology } from '../../src/check.ts';
import { properties, propertyById } from '../../src/properties/catalogue.ts';
import { PROPERTY_IDS } from '../../src/scenarios/scenario.ts';
import { kbTopology } from '../fixtures/kbTopology.ts';

describe('the property catalogue', () => {
  it('lists the four design.md properties, in report order, each with a title, a description and a predicate', () => {
    expect(properties.map((p) => p.id)).toEqual([...PROPERTY_IDS]);
    for (const p of properties) {
      expect(p.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(p.title.length).toBeGreaterThan(10);
      expect(p.description.length).toBeGreaterThan(80);
      expect(p.edge !== undefined || p.state !== undefined, p.id).toBe(true);
      expect(propertyById(p.id)).toBe(p);
    }
    expect(propertyById('no-such-property')).toBeUndefined();
  });

  it('checks only the properties selected by id', () => {
    const r = checkTopology(kbTopology({ retries2: 1 }), {}, { properties: ['no-half-open', 'no-mid-path-reset'], replay: false });
    expect(r.results.map((x) => x.property)).toEqual(['no-mid-path-reset', 'no-half-open']);
  });
});
