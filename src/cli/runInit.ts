import { writeFileSync } from 'node:fs';
import { basename, dirname, extname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT, type Io } from './io.ts';
import { parseCommandArgs } from './parseCommandArgs.ts';
import { InputError, UsageError } from './usageError.ts';
import { USAGE } from './usageText.ts';

/** The file `midpath init` writes when given none. */
export const DEFAULT_INIT_FILE = 'scenario.yaml';

/** The scenario JSON Schema of this midpath (in the repository or the installed package). */
const SCHEMA = fileURLToPath(new URL('../../schema/scenario.schema.json', import.meta.url));

/** A scenario name from the file name (`my-path.yaml` → `my-path`), or `my-path` when it does not fit the name pattern. */
function nameFor(file: string): string {
  const stem = basename(file, extname(file));
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(stem) ? stem : 'my-path';
}

/**
 * The commented starter scenario: the Palo Alto KB 16099 path (an AWS GWLB at
 * its 350 s default, two PAN-OS firewalls, a server closing idle connections
 * after 400 s), every field spelled out with its allowed values. Its first line
 * is a yaml-language-server modeline pointing at the JSON Schema, for completion
 * and validation in editors.
 *
 * @param schemaRef the schema's path relative to the file (or a URL)
 * @param name the scenario's `name`
 */
export function starterScenario(schemaRef: string, name: string): string {
  return `# yaml-language-server: $schema=${schemaRef}
#
# A midpath scenario: the path of your TCP connections from client to server.
# Check it (exhaustively, every timing) with:   npx midpath check <this file>
# Only name and path are required; an omitted field takes the real product's
# default. Every field: docs/scenario-reference.md in the midpath package; the
# facts behind the defaults, with their sources: docs/domain-facts.md.
#
# As written this is Palo Alto KB 16099: the GWLB forgets an idle flow after
# 350 s, the server's FIN after 400 s idle lands on the other firewall, which
# drops it. Replace the numbers with your own.
name: ${name}
description: >-
  My path: an AWS Gateway Load Balancer with two VM-Series firewalls between
  the client and the server.
# Concurrent connections between client and server (1..3).
connections: 1
client:
  # TCP keepalive: off, an OS default (linux 7200/75/9, windows 7200/1/10,
  # macos 7200/75/8), or timers in seconds: { idle: 300, interval: 75, probes: 9 }.
  # It prevents the drop only with idle below the shortest idle timeout on the path.
  keepalive: off
  # Seconds of application idle after which this side closes (FIN), or never.
  idleClose: never
server:
  keepalive: off
  idleClose: 400
# The middleboxes from client to server, in order.
path:
  - type: gwlb
    # tcp.idle_timeout.seconds: 60..6000 (default 350).
    idleTimeout: 350
    # Flow key: 5-tuple (default), 3-tuple or 2-tuple.
    stickiness: 5-tuple
    # send_tcp_reset.on_idle_timeout.enabled: answer a late segment with an RST.
    resetOnIdleTimeout: false
    appliances:
      # Identical appliances in the target group (1..16).
      count: 2
      # pan-os (drops a non-SYN segment it has no session for) or conntrack-loose.
      type: pan-os
      # Established TCP session timeout, seconds (PAN-OS default 3600).
      tcpTimeout: 3600
# What the check must show, per property: holds or violated (midpath check
# exits 1 when a result differs). With the numbers above a mid-path drop is
# reachable; with client keepalive { idle: 300 } it is not.
expect:
  no-mid-path-drop: violated
`;
}

/**
 * `midpath init [file]`: writes {@link starterScenario} to `file` (default
 * {@link DEFAULT_INIT_FILE}). Never replaces anything: an existing file (or
 * symlink) of that name is an error, exit 2.
 *
 * @throws UsageError for more than one file; InputError when the file exists or cannot be written
 */
export function runInit(argv: readonly string[], io: Io): number {
  const { values, positionals } = parseCommandArgs('init', argv, {});
  if (values['help'] === true) {
    io.out(`${USAGE.init}\n`);
    return EXIT.ok;
  }
  if (positionals.length > 1) throw new UsageError('init', `takes at most one file, got ${positionals.length}`);
  const file = positionals[0] ?? DEFAULT_INIT_FILE;
  const rel = relative(dirname(resolve(file)), SCHEMA).split(sep).join('/');
  const schemaRef = rel.startsWith('.') || rel.startsWith('/') ? rel : `./${rel}`;
  try {
    // 'wx': create only; fails when anything (a file, a symlink) has that name
    writeFileSync(file, starterScenario(schemaRef, nameFor(file)), { flag: 'wx' });
  } catch (e) {
    const code = (e as { code?: unknown } | null)?.code;
    if (code === 'EEXIST') throw new InputError(`${file} already exists; init never overwrites a file (choose another name: midpath init FILE)`);
    throw new InputError(`${file}: cannot write (${typeof code === 'string' ? code : e instanceof Error ? e.message : String(e)})`);
  }
  io.out(`wrote ${file}: a commented starter scenario; check it with: midpath check ${file}\n`);
  return EXIT.ok;
}
