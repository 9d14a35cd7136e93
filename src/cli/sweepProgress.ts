import type { SweepEvents, SweepPoint } from '../sweep/sweep.ts';
import type { Io } from './io.ts';

/** How progress is shown: a redrawn bar (terminal), a line per check (logs, CI), or nothing. */
export type ProgressMode = 'bar' | 'lines' | 'off';

/**
 * The progress mode: `MIDPATH_PROGRESS=bar|lines|off` when set, else a bar
 * when stderr is a terminal and plain lines otherwise.
 */
export function progressMode(env: Io['env'], stderrIsTty: boolean): ProgressMode {
  const forced = env['MIDPATH_PROGRESS'];
  if (forced === 'bar' || forced === 'lines' || forced === 'off') return forced;
  return stderrIsTty ? 'bar' : 'lines';
}

const BAR_WIDTH = 24;

/**
 * Sweep events that report progress on `io.err`: in `bar` mode one line
 * redrawn in place (`[██████░░░░] 3/5 units · 9 checks · client.keepalive.idle=351`),
 * in `lines` mode one line per check with its verdicts and time.
 *
 * @param label prefix of each line, e.g. `sweep kb-16099`
 * @param fields the axes' field paths, to name the values of a point
 * @param units the units this shard runs (the bar's length)
 * @param columns the terminal's width: a longer bar line is cut so that it never wraps
 */
export function sweepProgress(
  io: Io,
  mode: ProgressMode,
  label: string,
  fields: readonly string[],
  properties: readonly string[],
  units: number,
  columns?: number,
): SweepEvents & { readonly finish: () => void } {
  let checks = 0;
  let done = 0;
  let total = units;
  let lastPoint = '';
  const describe = (p: SweepPoint): string => p.values.map((v, i) => `${fields[i]}=${v}`).join(' ');
  const draw = (): void => {
    const filled = total === 0 ? 0 : Math.round((done / total) * BAR_WIDTH);
    const line = `${label} [${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}] ${done}/${total} units · ${checks} checks · ${lastPoint}`;
    io.err(`\r\x1b[2K${columns !== undefined && columns > 1 && line.length >= columns ? `${line.slice(0, columns - 2)}…` : line}`);
  };
  return {
    onCheck: (p, ms) => {
      checks++;
      lastPoint = describe(p);
      if (mode === 'lines') {
        const held = properties.filter((id) => p.holds[id] === true);
        const violated = properties.filter((id) => p.holds[id] !== true);
        const parts = [held.length > 0 ? `holds ${held.join(', ')}` : '', violated.length > 0 ? `violated ${violated.join(', ')}` : ''].filter((s) => s !== '');
        io.err(`${label}: check ${checks}: ${lastPoint}: ${parts.join('; ')} (${(ms / 1000).toFixed(2)} s)\n`);
      } else if (mode === 'bar') draw();
    },
    onUnit: (d, t) => {
      done = d;
      total = t;
      if (mode === 'lines') io.err(`${label}: ${d}/${t} units done\n`);
      else if (mode === 'bar') draw();
    },
    finish: () => {
      if (mode === 'bar') io.err(`\r\x1b[2K`);
    },
  };
}
