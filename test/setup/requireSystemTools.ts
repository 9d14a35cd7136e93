/**
 * vitest global setup of `npm run test:system`: fails the run at once, naming
 * what is missing, when the machine lacks a tool these tests need (SPIN and gcc
 * for the Promela agreement test; root, iproute2, nftables, conntrack, tcpdump,
 * tshark (the lab reads its kernel captures with it) and python3 for the
 * conformance lab). These tests never skip.
 */
import { spawnSync } from 'node:child_process';

const TOOLS: readonly (readonly [command: string, pkg: string])[] = [
  ['spin', 'spin'],
  ['gcc', 'gcc'],
  ['ip', 'iproute2'],
  ['nft', 'nftables'],
  ['conntrack', 'conntrack'],
  ['tcpdump', 'tcpdump'],
  ['tshark', 'tshark'],
  ['python3', 'python3'],
];

export default function requireSystemTools(): void {
  const missing = TOOLS.filter(([command]) => spawnSync('sh', ['-c', `command -v ${command}`]).status !== 0).map(([c, pkg]) => `${c} (Debian package ${pkg})`);
  if (process.getuid?.() !== 0) missing.push('root (network namespaces)');
  if (missing.length > 0) throw new Error(`npm run test:system needs: ${missing.join(', ')}; .ci/run installs them`);
}
