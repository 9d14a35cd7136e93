/**
 * A package-lock.json for a consumer project that depends on a packed midpath
 * tarball and on some of this repository's own packages (vitest), pinned to the
 * exact versions and tarballs this repository's lockfile installed. With it,
 * `npm ci --offline` installs everything from the npm cache that `npm ci` filled:
 * npm needs no registry metadata for a locked tree.
 */

/** One entry of a lockfile's `packages` map (the fields used here). */
interface LockEntry {
  readonly version?: string;
  readonly resolved?: string;
  readonly integrity?: string;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly optionalDependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
  readonly peerDependenciesMeta?: Readonly<Record<string, { readonly optional?: boolean }>>;
  readonly [field: string]: unknown;
}

/** A lockfile, version 3. */
export interface Lockfile {
  readonly name: string;
  readonly lockfileVersion: number;
  readonly requires?: boolean;
  readonly packages: Readonly<Record<string, LockEntry>>;
}

/** Where Node finds `dep` from the package installed at `at`: the nearest node_modules up the tree that the lock has. */
function resolveIn(lock: Lockfile, at: string, dep: string): string | undefined {
  let dir = at;
  for (;;) {
    const candidate = `${dir === '' ? '' : `${dir}/`}node_modules/${dep}`;
    if (lock.packages[candidate] !== undefined) return candidate;
    if (dir === '') return undefined;
    const cut = dir.lastIndexOf('/node_modules/');
    dir = cut < 0 ? '' : dir.slice(0, cut);
  }
}

/** Every lock path reachable from the given top-level packages (dependencies, optional and required peer dependencies). */
function closure(lock: Lockfile, roots: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const queue = roots.map((r) => `node_modules/${r}`);
  for (let i = 0; i < queue.length; i++) {
    const path = queue[i]!;
    if (seen.has(path)) continue;
    const entry = lock.packages[path];
    if (entry === undefined) throw new Error(`the lockfile has no ${path}`);
    seen.add(path);
    const optionalPeers = new Set(Object.entries(entry.peerDependenciesMeta ?? {}).filter(([, m]) => m.optional === true).map(([n]) => n));
    const deps = [
      ...Object.keys(entry.dependencies ?? {}),
      ...Object.keys(entry.optionalDependencies ?? {}),
      ...Object.keys(entry.peerDependencies ?? {}).filter((n) => !optionalPeers.has(n)),
    ];
    for (const dep of deps) {
      const found = resolveIn(lock, path, dep);
      if (found !== undefined) queue.push(found);
      else if (!(dep in (entry.optionalDependencies ?? {}))) throw new Error(`${path} needs ${dep}, which the lockfile does not have`);
    }
  }
  return seen;
}

/**
 * The consumer's lockfile: `midpath` from `tarball` (a path relative to the
 * consumer, with the tarball's `integrity`), its dependencies as the repository
 * locked them, and `alsoFromRepo` (e.g. `['vitest']`) with their dependency trees.
 */
export function consumerLockfile(repoLock: Lockfile, repoPackage: { readonly version: string; readonly dependencies: Readonly<Record<string, string>>; readonly bin: Readonly<Record<string, string>>; readonly engines: Readonly<Record<string, string>> }, tarball: string, integrity: string, alsoFromRepo: readonly string[]): Lockfile {
  const runtime = Object.keys(repoPackage.dependencies);
  const paths = closure(repoLock, [...runtime, ...alsoFromRepo]);
  const packages: Record<string, LockEntry> = {
    '': {
      name: 'consumer',
      dependencies: {
        midpath: `file:${tarball}`,
        ...Object.fromEntries(alsoFromRepo.map((n) => [n, repoLock.packages[`node_modules/${n}`]?.version ?? '*'])),
      },
    },
    'node_modules/midpath': {
      version: repoPackage.version,
      resolved: `file:${tarball}`,
      integrity,
      license: 'MIT',
      dependencies: repoPackage.dependencies,
      bin: repoPackage.bin,
      engines: repoPackage.engines,
    },
  };
  for (const path of [...paths].sort()) {
    const { dev: _dev, devOptional: _devOptional, ...entry } = repoLock.packages[path]!;
    packages[path] = entry;
  }
  return { name: 'consumer', lockfileVersion: 3, requires: true, packages };
}
