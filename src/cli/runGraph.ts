import { machineMermaid, systemMermaid } from '../reporting/graphMermaid.ts';
import { machineDot } from '../reporting/machineDot.ts';
import { svgRenderer } from '../reporting/renderSvg.ts';
import { systemDot, SYSTEM_GRAPH_MAX_NODES } from '../reporting/systemDot.ts';
import { resolveScenario } from '../node/loadScenarioFile.ts';
import { toTopology } from '../scenarios/toTopology.ts';
import { EXIT, type Io } from './io.ts';
import { MACHINE_KINDS } from './machineKinds.ts';
import { parseCommandArgs, stringOption } from './parseCommandArgs.ts';
import { reachableGraph } from '../reporting/reachableGraph.ts';
import { InputError, UsageError } from './usageError.ts';
import { USAGE } from './usageText.ts';
import { inputFiles } from './inputFiles.ts';
import { assertReplaceable, writeTextFile } from './writeTextFile.ts';

const FORMATS = ['dot', 'svg', 'mermaid'] as const;
type Format = (typeof FORMATS)[number];

/** DOT and Mermaid text of the graph named by `arg`: a machine kind, or a scenario's reachable system. */
function graphOf(arg: string): { dot: string; mermaid: string } {
  const machine = MACHINE_KINDS[arg];
  if (machine && Object.prototype.hasOwnProperty.call(MACHINE_KINDS, arg)) return { dot: machineDot(machine, arg), mermaid: machineMermaid(machine) };
  const graph = reachableGraph(toTopology(resolveScenario(arg)), SYSTEM_GRAPH_MAX_NODES);
  const d = systemDot(graph);
  if ('omitted' in d) throw new InputError(`${d.omitted.replace('system graph omitted', 'too large to draw')}; graph draws small configurations (fewer appliances or connections)`);
  return { dot: d.dot, mermaid: systemMermaid(graph) };
}

/** `midpath graph <machine|scenario> [--format dot|svg|mermaid] [--out FILE]`. */
export async function runGraph(argv: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs('graph', argv, { format: { type: 'string' }, out: { type: 'string' } });
  if (values['help'] === true) {
    io.out(`${USAGE.graph}\n`);
    return EXIT.ok;
  }
  if (positionals.length !== 1) {
    throw new UsageError('graph', `needs exactly one machine (${Object.keys(MACHINE_KINDS).join(', ')}) or scenario, got ${positionals.length}`);
  }
  const format = stringOption(values, 'format') ?? 'dot';
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError('graph', `--format ${format}: unknown format; use ${FORMATS.join(', ')}`);
  const out = stringOption(values, 'out');
  const inputs = inputFiles(positionals);
  if (out !== undefined) assertReplaceable(out, undefined, inputs);
  const g = graphOf(positionals[0]!);
  const text = (format as Format) === 'mermaid' ? g.mermaid : format === 'svg' ? `${(await svgRenderer())(g.dot)}\n` : g.dot;
  if (out === undefined) io.out(text);
  else writeTextFile(out, text, undefined, inputs);
  return EXIT.ok;
}
