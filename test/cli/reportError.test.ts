import { describe, expect, it } from 'vitest';
import type { Io } from '../../src/cli/io.ts';
import { reportError } from '../../src/cli/reportError.ts';
import { InputError, UsageError } from '../../src/cli/usageError.ts';
import { ScenarioError } from '../../src/scenarios/scenarioError.ts';

function collect(env: Record<string, string> = {}): { io: Io; err: () => string } {
  let err = '';
  return { io: { out: () => undefined, err: (t) => (err += t), env }, err: () => err };
}

describe('reportError', () => {
  it('prints a usage error as one line naming the command, exit 2', () => {
    const c = collect();
    expect(reportError(new UsageError('check', "unknown option '--x'"), c.io)).toBe(2);
    expect(c.err()).toBe("midpath check: unknown option '--x' (see midpath check --help)\n");
  });

  it('prints a scenario error with its field path and line, exit 2', () => {
    const c = collect();
    const e = new ScenarioError('kb.yaml', [{ path: 'path[0].idleTimeout', code: 'invalid-value', message: '59 is below the AWS minimum 60', line: 9 }]);
    expect(reportError(e, c.io)).toBe(2);
    expect(c.err()).toBe('kb.yaml: path[0].idleTimeout: 59 is below the AWS minimum 60 (line 9)\n');
  });

  it('prints other bad input as one line, exit 2', () => {
    const c = collect();
    expect(reportError(new InputError('x.json: not JSON'), c.io)).toBe(2);
    expect(c.err()).toBe('midpath: x.json: not JSON\n');
  });

  it('reports anything else as an internal error, exit 70, without a stack unless MIDPATH_DEBUG=1', () => {
    const quiet = collect();
    expect(reportError(new TypeError('boom\nsecond line'), quiet.io)).toBe(70);
    expect(quiet.err()).toBe('midpath: internal error: boom\n');
    const debug = collect({ MIDPATH_DEBUG: '1' });
    reportError(new TypeError('boom'), debug.io);
    expect(debug.err()).toMatch(/^\s+at /m);
  });
});
