/** Help text of `midpath sweep` (part of USAGE in usageText.ts). */
export const SWEEP_USAGE = `Usage: midpath sweep <scenario-file|preset> --vary <field>=<from>..<to> [--vary …] [options]

Checks the scenario over a range of whole-number values of one or two fields
and prints where each property's verdict flips, e.g.
  no-mid-path-drop  holds iff client.keepalive.idle ≤ 350 (holds at 350, violated at 351)
Along the (last) axis it checks --samples evenly spread points and bisects
every segment whose ends disagree to the exact flip; more than one flip means
the verdict is not monotone, and every flip found is listed. With two --vary,
the second axis is swept so for each sample point of the first.

Fields are paths into the scenario file format: client.keepalive.idle,
server.idleClose, path[0].idleTimeout, path[0].appliances.tcpTimeout, …
(setting a keepalive timer of an endpoint whose keepalive is off turns it on
with the Linux defaults for the other timers). Values are validated as in a
scenario file: one out of range is refused before any check, exit 2.

Options:
  --vary F=A..B       vary field F over A..B (whole numbers, A < B); at most two
  --samples N         sample points per axis, 2..100 (default 5)
  --shard k/n         run the k-th of n shares of the work (round-robin over the
                      segments, or over the first axis's sample points with two
                      --vary); join the shards' --out files with midpath merge
  --property ID       check only this property (repeatable)
  --out FILE          write the result as JSON (format midpath-sweep/1)
  --json              print that JSON on stdout instead of the summary
  --junit FILE        write JUnit XML: one testcase per finding (or the error)
  --max-states N      limit each point's check to N symbolic states
  --time-budget MS    limit each point's check to MS milliseconds (default 120000)
  --max-heap MB       limit each point's check to MB megabytes of heap (default 2048)
                      (a point cut short by a limit stops the sweep: exit 3)
  -h, --help          show this help

Progress goes to stderr: a bar on a terminal, a line per check otherwise
(MIDPATH_PROGRESS=bar|lines|off overrides). Exit 0 done, 2 bad input, 3 a limit was hit.`;

/** Help text of `midpath merge` (part of USAGE in usageText.ts). */
export const MERGE_USAGE = `Usage: midpath merge <sweep.json>... [--out FILE] [--json]

Joins the files that midpath sweep --shard k/n --out FILE wrote into one
result (equal to the unsharded sweep's) and prints its boundaries.

Options:
  --out FILE          write the merged result as JSON
  --json              print that JSON on stdout instead of the summary
  -h, --help          show this help

Exit: 0 every shard present, 3 some shard missing (partial result), 2 files
that cannot be read or come from different sweeps.`;
