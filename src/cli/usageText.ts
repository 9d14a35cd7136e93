import { MERGE_USAGE, SWEEP_USAGE } from './sweepUsage.ts';
import { EXPORT_USAGE } from './exportUsage.ts';

/** Help text of each command, printed by `--help` and after an unknown command. */
export const USAGE = {
  main: `midpath — model-checks idle TCP connections through load balancers and firewalls

Usage: midpath <command> [options]

Commands:
  check <scenario-file|preset>...   check scenarios; exit 0 when every expectation holds
  start                             check every bundled preset, print a table, write reports/
  presets                           list the bundled presets
  trace <file.trace.json>           print a stored counterexample; --replay re-runs it
  graph <machine|scenario>          state graph of a machine, or a scenario's reachable system (dot, svg, mermaid)
  sweep <scenario> --vary F=A..B    find where each property's verdict flips over a range of one or two fields
  merge <sweep.json>...             join the --out files of sweep --shard runs
  export --promela <scenario>       write an equivalent Promela model for SPIN (a second opinion)
  init [file]                       write a commented starter scenario (default scenario.yaml; never overwrites)
  help [command]                    show this help, or a command's

Options: -h, --help (this help), -V, --version (print midpath's version).
Run 'midpath help <command>' or 'midpath <command> --help' for a command's options.
Exit codes: 0 ok, 1 an expectation does not hold, 2 bad input or usage, 3 a limit was hit, 70 internal error.`,
  check: `Usage: midpath check <scenario-file|preset>... [options]

Checks each scenario exhaustively and prints, per property, the verdict, the
idle-gap window of a violation and its counterexample timeline.

Options:
  --json              print one JSON document { "scenarios": [...] } instead
  --out DIR           write <scenario>.<property>.trace.json, .pcapng and .mmd per violation, results.json,
                      index.html (open it in a browser: verdicts, graphs, step-through explorer), <machine>.dot/.svg
  --property ID       check only this property (repeatable): no-mid-path-drop, no-mid-path-reset, no-half-open, clean-close
  --max-states N      stop after N symbolic states (the run is then incomplete: exit 3)
  --time-budget MS    stop after MS milliseconds (default 120000; incomplete: exit 3)
  --max-heap MB       stop once the heap holds MB megabytes (default 2048, or 3/4 of V8's heap limit
                      if less; incomplete: exit 3)
  --max-counterexample-instants N
                      give a counterexample a timeline only up to N instants at which time passes
                      (default 2000; a timeline's size grows with N; verdict and window stand)
  --first             stop exploring once every selected property is violated (fastest verdict;
                      windows then cover only the violations found so far and say so)
  --junit FILE        write JUnit XML, one testcase per (scenario, property)
  -h, --help          show this help

Exit: 0 every scenario meets its expect, 1 one does not, 2 bad input, 3 a limit was hit.`,
  start: `Usage: midpath start [--junit FILE]

Checks every bundled preset against its expect, prints a table (with a legend)
and writes the reports (traces, captures, results.json) to reports/. Exit 0
when every expectation holds, 1 otherwise.

Options:
  --junit FILE        write JUnit XML, one testcase per (scenario, property)
  -h, --help          show this help`,
  presets: `Usage: midpath presets

Lists the bundled presets, one line each: name — description.`,
  trace: `Usage: midpath trace <file.trace.json> [--replay] [--scenario FILE]

Prints a stored counterexample as a timeline.

Options:
  --replay            re-run it on the concrete simulator; exit 0 when it still fails, 1 when not
  --scenario FILE     the scenario to rebuild (default: the resolved topology the trace carries;
                      the trace's scenario field is a label, never read as a path)
  -h, --help          show this help`,
  graph: `Usage: midpath graph <machine|scenario-file|preset> [--format dot|svg|mermaid] [--out FILE]

Prints a state graph: a machine's (tcpEndpoint, gwlbFlow, firewallSession), or
the reachable discrete states of a scenario's composed system (small
configurations only: at most 400 discrete states; larger ones are refused, exit 2).

Options:
  --format F          dot (default), svg (Graphviz, no system binary needed) or mermaid
  --out FILE          write to FILE instead of standard output
  -h, --help          show this help`,
  init: `Usage: midpath init [file]

Writes a commented starter scenario to file (default scenario.yaml): the KB 16099
path with every field and its allowed values. Its first line is a
'# yaml-language-server: $schema=…' modeline that gives editors completion and
validation. Never overwrites: an existing file is an error (exit 2).`,
  sweep: SWEEP_USAGE,
  merge: MERGE_USAGE,
  export: EXPORT_USAGE,
} as const;

/** A command with help text. */
export type CommandName = Exclude<keyof typeof USAGE, 'main'>;

/** True when `name` is a command midpath has. */
export function isCommandName(name: string): name is CommandName {
  return name !== 'main' && Object.prototype.hasOwnProperty.call(USAGE, name);
}
