/**
 * Removes lab network namespaces left behind (prefix `mplab-`), e.g. after
 * the lab was killed with SIGKILL. By default only those of lab processes
 * that no longer run; `--all` removes every one. Run as root:
 * `npx tsx lab/cleanup.ts [--all]`.
 */
import { execFileSync } from 'node:child_process';
import { NETNS_PREFIX } from './netns.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Names of lab namespaces to remove (`all`: also those of running labs). */
export function leftoverNamespaces(all: boolean): string[] {
  const out = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter((n) => n.startsWith(NETNS_PREFIX))
    .filter((n) => all || !alive(Number(n.slice(NETNS_PREFIX.length).split('-')[0])));
}

/** Deletes the leftover lab namespaces and returns their names. */
export function cleanup(all: boolean): string[] {
  const names = leftoverNamespaces(all);
  for (const n of names) {
    try {
      execFileSync('ip', ['netns', 'del', n], { stdio: 'ignore' });
    } catch {
      // gone meanwhile
    }
  }
  return names;
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '\0')) {
  const removed = cleanup(process.argv.includes('--all'));
  console.log(removed.length === 0 ? 'lab cleanup: no leftover namespaces' : `lab cleanup: removed ${removed.join(', ')}`);
}
