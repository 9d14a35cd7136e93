import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { INF, LE_ZERO, addBounds, boundValue, formatBound, isStrict, le, lt, negate } from '../../src/engine/bound.ts';
import { fuzzParams } from './fixtures/fuzz.ts';

/** A bound as the pair it stands for. */
const decoded = (b: number) => ({ c: boundValue(b), strict: isStrict(b) });

describe('bound encoding', () => {
  it('encodes ≤ c as 2c + 1 and < c as 2c', () => {
    expect(le(0)).toBe(1);
    expect(lt(0)).toBe(0);
    expect(le(3)).toBe(7);
    expect(lt(3)).toBe(6);
    expect(le(-3)).toBe(-5);
    expect(lt(-3)).toBe(-6);
    expect(LE_ZERO).toBe(le(0));
  });

  it('decodes negative bounds with floor and parity', () => {
    expect(decoded(le(-3))).toEqual({ c: -3, strict: false });
    expect(decoded(lt(-3))).toEqual({ c: -3, strict: true });
    expect(decoded(le(350_000))).toEqual({ c: 350_000, strict: false });
  });

  it('treats INF as < ∞', () => {
    expect(isStrict(INF)).toBe(true);
    expect(formatBound(INF)).toBe('< ∞');
    expect(addBounds(INF, le(3))).toBe(INF);
    expect(addBounds(lt(-3), INF)).toBe(INF);
  });

  it('formats bounds', () => {
    expect(formatBound(le(350_000))).toBe('≤ 350000');
    expect(formatBound(lt(-5))).toBe('< -5');
  });

  it('adds bounds: the constants add, the sum is ≤ only when both are', () => {
    expect(addBounds(le(2), le(3))).toBe(le(5));
    expect(addBounds(le(2), lt(3))).toBe(lt(5));
    expect(addBounds(lt(2), le(3))).toBe(lt(5));
    expect(addBounds(lt(2), lt(-3))).toBe(lt(-1));
    expect(addBounds(le(-2), le(2))).toBe(LE_ZERO);
  });

  it('negates the constant and keeps the strictness', () => {
    expect(negate(le(4))).toBe(le(-4));
    expect(negate(lt(4))).toBe(lt(-4));
    // x - y ≤ c together with y - x ≤ -c is consistent (x - y = c); with < it is not.
    expect(addBounds(le(4), negate(le(4)))).toBe(LE_ZERO);
    expect(addBounds(lt(4), negate(lt(4))) < LE_ZERO).toBe(true);
  });

  // Constants up to 2^40 (about 35 years in ms): parity tricks must not go through 32-bit integers.
  const constant = fc.integer({ min: -(2 ** 40), max: 2 ** 40 });
  const bound = fc.tuple(constant, fc.boolean()).map(([c, strict]) => (strict ? lt(c) : le(c)));

  test.prop([constant, fc.boolean()], fuzzParams)('round-trips constant and strictness', (c, strict) => {
    expect(decoded(strict ? lt(c) : le(c))).toEqual({ c, strict });
  });

  test.prop([bound, bound], fuzzParams)('adds as (c1 + c2, strict if either is)', (a, b) => {
    const sum = decoded(addBounds(a, b));
    expect(sum).toEqual({ c: boundValue(a) + boundValue(b), strict: isStrict(a) || isStrict(b) });
    expect(addBounds(a, b)).toBe(addBounds(b, a));
  });

  test.prop([bound, bound], fuzzParams)('orders codes by tightness: < c is tighter than ≤ c, which is tighter than < c + 1', (a, b) => {
    // a < b as codes iff every value allowed by a is allowed by b and not conversely
    const tighter = boundValue(a) < boundValue(b) || (boundValue(a) === boundValue(b) && isStrict(a) && !isStrict(b));
    expect(a < b).toBe(tighter);
  });
});
