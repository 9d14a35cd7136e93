import { runCli } from '../../src/cli/runCli.ts';

/** What one in-process run of a command line printed and returned. */
export interface InProcessRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs one midpath command line in this process (no tsx start-up), collecting its output; `tty` says which streams count as terminals (default: both piped). */
export async function runInProcess(args: readonly string[], env: Readonly<Record<string, string | undefined>> = {}, tty: { out: boolean; err: boolean } = { out: false, err: false }): Promise<InProcessRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { out: (t) => (stdout += t), err: (t) => (stderr += t), env, tty });
  return { code, stdout, stderr };
}
