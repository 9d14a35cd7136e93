/**
 * Running commands for the lab: short commands with a time limit, and
 * long-running monitors (tcpdump, conntrack -E, helpers) that the lab starts,
 * tracks by pid and stops itself. Every long-running command is also wrapped
 * in coreutils `timeout`, so it stops by itself even if the lab dies.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';

/** Output of a finished command. */
export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Thrown when a command the lab needs fails; says which command and why. */
export class CommandError extends Error {
  constructor(
    readonly argv: readonly string[],
    readonly result: CommandResult,
  ) {
    super(`command failed (exit ${result.code}): ${argv.join(' ')}\n${result.stderr.trim() || result.stdout.trim()}`);
  }
}

/** Runs a command (no shell) with a time limit; resolves with its output whatever its exit code. */
export function runCommand(argv: readonly string[], options: { readonly input?: string; readonly timeoutMs?: number } = {}): Promise<CommandResult> {
  const [file, ...args] = argv;
  if (file === undefined) throw new Error('runCommand: empty argv');
  return new Promise((resolve) => {
    const child = execFile(file, args, { timeout: options.timeoutMs ?? 20_000, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
      resolve({ code, stdout, stderr: err !== null && typeof err.code !== 'number' ? `${stderr}${err.message}` : stderr });
    });
    if (options.input !== undefined) {
      child.stdin?.end(options.input);
    }
  });
}

/** Runs a command and throws {@link CommandError} unless it exits 0. */
export async function mustRun(argv: readonly string[], options: { readonly input?: string; readonly timeoutMs?: number } = {}): Promise<string> {
  const r = await runCommand(argv, options);
  if (r.code !== 0) throw new CommandError(argv, r);
  return r.stdout;
}

/** A long-running process the lab started, with its collected output. */
export class Monitor {
  private out = '';
  private err = '';
  private readonly done: Promise<number>;
  private readonly lineListeners: ((line: string, at: number) => void)[] = [];
  private partial = '';
  /** Every stdout line with the wall-clock time (epoch seconds) it arrived. */
  readonly lines: { readonly line: string; readonly at: number }[] = [];

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    child.stdout?.setEncoding('utf8');
    child.stderr?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      const at = Date.now() / 1000;
      this.out += chunk;
      this.partial += chunk;
      const parts = this.partial.split('\n');
      this.partial = parts.pop() ?? '';
      for (const line of parts) {
        this.lines.push({ line, at });
        for (const l of this.lineListeners) l(line, at);
      }
    });
    child.stderr?.on('data', (chunk: string) => {
      this.err += chunk;
    });
    this.done = new Promise((resolve) => {
      child.on('error', (e) => {
        this.err += String(e);
        resolve(127);
      });
      child.on('close', (code, signal) => resolve(code ?? (signal === null ? 1 : 128)));
    });
    Monitor.live.add(this);
    void this.done.then(() => Monitor.live.delete(this));
  }

  /** Every monitor still running (the signal handler stops them). */
  static readonly live = new Set<Monitor>();

  /** Starts `argv` wrapped in `timeout <limitS>` so it ends by itself. */
  static start(name: string, argv: readonly string[], limitS: number, withStdin = false): Monitor {
    const child = spawn('timeout', ['--signal=TERM', '--kill-after=2', String(Math.ceil(limitS)), ...argv], { stdio: [withStdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    return new Monitor(name, child);
  }

  /** Writes a line to the process's stdin (started with `withStdin`). */
  writeLine(line: string): void {
    this.child.stdin?.write(`${line}\n`);
  }

  /** The process id (of the `timeout` wrapper, which forwards signals to its child). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Calls `fn` for each later stdout line. */
  onLine(fn: (line: string, at: number) => void): void {
    this.lineListeners.push(fn);
  }

  /** Resolves when stderr or stdout contains `text`, or after `ms`. */
  async waitFor(text: string, ms: number): Promise<boolean> {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      if (this.err.includes(text) || this.out.includes(text)) return true;
      await sleep(20);
    }
    return false;
  }

  /** Stops the process (SIGTERM by its pid) and waits for it to exit. */
  async stop(): Promise<number> {
    if (this.child.exitCode === null && this.child.signalCode === null && this.child.pid !== undefined) {
      try {
        process.kill(this.child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    return this.done;
  }

  /** Synchronous best-effort stop, for the signal handler. */
  killNow(): void {
    if (this.child.pid !== undefined && this.child.exitCode === null) {
      try {
        process.kill(this.child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  }

  /** Waits for exit (the process ends by itself). */
  exited(): Promise<number> {
    return this.done;
  }

  /** Everything written to stdout so far. */
  get stdout(): string {
    return this.out;
  }

  /** Everything written to stderr so far. */
  get stderr(): string {
    return this.err;
  }
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
