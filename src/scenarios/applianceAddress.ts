import type { Addresses } from './scenario.ts';
import { ipv4ToNumber } from './scenarioSchema.ts';

/**
 * The IPv4 address of appliance `index` (0-based): `addresses.appliance0`
 * plus `index`. The schema guarantees the range does not run past
 * 255.255.255.255 for the scenario's appliance count.
 */
export function applianceAddress(addresses: Addresses, index: number): string {
  const n = ipv4ToNumber(addresses.appliance0) + index;
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}
