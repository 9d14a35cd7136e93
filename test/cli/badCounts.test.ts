import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runMidpath, type Run } from './runMidpath.ts';

/**
 * A count field out of range (an Azure LB's `backends.count`, a GWLB's
 * `appliances.count`), through the real binary: exit 2, one error naming the
 * field the user wrote with the one range the file format allows, no stack
 * trace, and none of the errors that only repeat it (the Azure LB parser's
 * `targets` 1..64, the address room for an impossible count).
 */
const BAD = fileURLToPath(new URL('../scenarios/fixtures/bad/', import.meta.url));
const azure = join(BAD, 'azure-lb-backends-count-huge.yaml');
const gwlb = join(BAD, 'gwlb-appliances-count-huge.yaml');

let azureRun: Run;
let gwlbRun: Run;
beforeAll(async () => {
  [azureRun, gwlbRun] = await Promise.all([runMidpath(['check', azure]), runMidpath(['check', gwlb])]);
}, 60_000);

const expectOneError = (r: Run, line: string): void => {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.trim().split('\n')).toEqual([line]);
  expect(r.stderr).not.toMatch(/^\s+at /m);
};

describe('an out-of-range count gives one error on the field written', () => {
  it('azure-lb backends.count 100000: backends.count 1..16, not also path[0].targets (1..64)', () => {
    expectOneError(azureRun, `${azure}: path[0].backends.count: 100000 is above the maximum 16 (allowed 1..16 appliances) (line 5)`);
    expect(azureRun.stderr).not.toContain('targets');
    expect(azureRun.stderr).not.toContain('64');
  });

  it('gwlb appliances.count 100000 near the top of the address space: not also an addresses.appliance0 error for 100000 addresses', () => {
    expectOneError(gwlbRun, `${gwlb}: path[0].appliances.count: 100000 is above the maximum 16 (allowed 1..16 appliances) (line 7)`);
    expect(gwlbRun.stderr).not.toContain('appliance0');
  });
});
