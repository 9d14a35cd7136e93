import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/runCli.ts';
import { USAGE } from '../../src/cli/usageText.ts';
import { runMidpath } from './runMidpath.ts';

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => (out += t), err: (t) => (err += t), env: {} });
  return { code, out, err };
}

describe('midpath --version / -V', () => {
  it.each(['--version', '-V'])('%s prints the package version and exits 0', async (flag) => {
    expect(VERSION).toMatch(/^\d+\.\d+\.\d+/);
    expect(await cli(flag)).toEqual({ code: 0, out: `midpath ${VERSION}\n`, err: '' });
  });

  it('prints the same from the compiled binary (dist/ reads the package.json beside it)', async () => {
    expect(await runMidpath(['-V'])).toEqual({ code: 0, stdout: `midpath ${VERSION}\n`, stderr: '' });
  });

  it('takes no arguments', async () => {
    const r = await cli('--version', 'check');
    expect(r.code).toBe(2);
    expect(r.err).toContain("midpath: --version takes no arguments, got 'check'");
  });
});

describe('midpath help <command>', () => {
  it.each(['check', 'start', 'presets', 'trace', 'graph', 'sweep', 'merge', 'export', 'init'] as const)('help %s prints what %s --help prints', async (command) => {
    const viaHelp = await cli('help', command);
    expect(viaHelp).toEqual({ code: 0, out: `${USAGE[command]}\n`, err: '' });
    expect(viaHelp.out).toMatch(new RegExp(`^Usage: midpath ${command}`));
    expect((await cli(command, '--help')).out).toBe(viaHelp.out);
  });

  it('help alone (and help help) prints the command list, which names init and help', async () => {
    for (const argv of [['help'], ['help', 'help']]) {
      const r = await cli(...argv);
      expect(r).toEqual({ code: 0, out: `${USAGE.main}\n`, err: '' });
    }
    expect(USAGE.main).toMatch(/^ {2}init \[file\] /m);
    expect(USAGE.main).toMatch(/^ {2}help \[command\] /m);
    expect(USAGE.main).toContain('-V, --version');
  });

  it('suggests the closest command for a typo, exit 2', async () => {
    const r = await cli('help', 'chekc');
    expect(r.code).toBe(2);
    expect(r.err).toContain("midpath help: unknown command 'chekc' (did you mean check?); commands: check, start, presets");
    expect(r.out).toBe('');
  });
});

describe('unknown options', () => {
  it.each([
    [['check', 'kb-16099', '--jsn'], "midpath check: unknown option '--jsn' (did you mean --json?)"],
    [['check', 'kb-16099', '--propery', 'clean-close'], "midpath check: unknown option '--propery' (did you mean --property?)"],
    [['check', 'kb-16099', '--max-state', '5'], "midpath check: unknown option '--max-state' (did you mean --max-states?)"],
    [['graph', 'tcpEndpoint', '--fromat', 'dot'], "midpath graph: unknown option '--fromat' (did you mean --format?)"],
    [['trace', 'x.trace.json', '--replya'], "midpath trace: unknown option '--replya' (did you mean --replay?)"],
    [['presets', '--hepl'], "midpath presets: unknown option '--hepl' (did you mean --help?)"],
    [['--verison'], "midpath: unknown option '--verison' (did you mean --version?)"],
  ])('%j: exit 2, the closest option named', async (argv, message) => {
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe(`${message} (see midpath${argv[0]!.startsWith('-') ? '' : ` ${argv[0]}`} --help)`);
    expect(r.out).toBe('');
  });

  it('suggests nothing when no option is close', async () => {
    const r = await cli('check', 'kb-16099', '--zzzzzz');
    expect(r.code).toBe(2);
    expect(r.err).toBe("midpath check: unknown option '--zzzzzz' (see midpath check --help)\n");
  });

  it('suggests nothing for an unknown one-letter option', async () => {
    const r = await cli('check', 'kb-16099', '-q');
    expect(r.code).toBe(2);
    expect(r.err).toBe("midpath check: unknown option '-q' (see midpath check --help)\n");
  });
});
