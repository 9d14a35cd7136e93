// The GitHub Actions example (docs/github-actions.md, docs/examples/midpath.yml):
// parsed as YAML, and its midpath command run here as the job would run it.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { isWellFormedXml } from '../cli/isWellFormedXml.ts';
import { REPO } from '../cli/runMidpath.ts';

interface Step {
  readonly uses?: string;
  readonly run?: string;
  readonly name?: string;
  readonly if?: string;
  readonly with?: Readonly<Record<string, unknown>>;
}
interface Workflow {
  readonly on: Readonly<Record<string, unknown>>;
  readonly jobs: Readonly<Record<string, { readonly 'runs-on': string; readonly steps: readonly Step[] }>>;
}

const FILE = join(REPO, 'docs', 'examples', 'midpath.yml');
const TEXT = readFileSync(FILE, 'utf8');
const workflow = parse(TEXT) as Workflow;
const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);
const midpathRuns = steps.flatMap((s) => (s.run !== undefined && s.run.startsWith('npx midpath ') ? [s.run] : []));

const work = mkdtempSync(join(tmpdir(), 'midpath-gha-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs one `npx midpath …` line of the workflow in `cwd` with this repository's compiled CLI (what `npx midpath` runs after `npm ci`). */
function runStep(line: string, cwd: string): { status: number | null; stdout: string; stderr: string } {
  const args = line.replace(/^npx midpath /, '').split(/\s+/);
  expect(args.every((a) => /^[\w./=-]+$/.test(a)), `plain words only, no shell syntax: ${line}`).toBe(true);
  return spawnSync(process.execPath, [join(REPO, 'bin', 'midpath.js'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, MIDPATH_DEBUG: '' } });
}

/** The paths a midpath command line reads (its scenario files) and writes (--junit, --out). */
function pathsOf(line: string): { scenarios: string[]; junit: string | undefined; out: string | undefined } {
  const words = line.replace(/^npx midpath check /, '').split(/\s+/);
  const flag = (name: string): string | undefined => words[words.indexOf(name) + 1];
  const valued = new Set(['--junit', '--out']);
  const scenarios = words.filter((w, i) => !w.startsWith('--') && !valued.has(words[i - 1] ?? ''));
  return { scenarios, junit: words.includes('--junit') ? flag('--junit') : undefined, out: words.includes('--out') ? flag('--out') : undefined };
}

describe('docs/examples/midpath.yml', () => {
  it('is the workflow shown in docs/github-actions.md, word for word', () => {
    const doc = readFileSync(join(REPO, 'docs', 'github-actions.md'), 'utf8');
    expect(/```yaml\n([\s\S]*?)```/.exec(doc)?.[1]).toBe(TEXT);
  });

  it('is a workflow: triggers, a job on ubuntu, checkout, Node >= 20 (the package engines), npm ci, a midpath check with --junit and --out, reports kept always', () => {
    expect(Object.keys(workflow.on)).toEqual(['push', 'pull_request']);
    const [job] = Object.values(workflow.jobs);
    expect(job?.['runs-on']).toBe('ubuntu-latest');
    expect(steps.map((s) => s.uses ?? s.run)).toEqual([
      'actions/checkout@v4',
      'actions/setup-node@v4',
      'npm ci',
      expect.stringMatching(/^npx midpath check /),
      'actions/upload-artifact@v4',
    ]);
    const node = Number(steps[1]?.with?.['node-version']);
    const engines = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
    expect(node).toBeGreaterThanOrEqual(Number(/>=\s*(\d+)/.exec(engines)?.[1]));
    const upload = steps[4]!;
    expect(upload.if).toBe('always()');
    const { junit, out } = pathsOf(midpathRuns[0]!);
    expect(junit).toBeDefined();
    expect(out).toBeDefined();
    expect(`${String(upload.with?.['path']).replace(/\/$/, '')}/`).toSatisfy((p: string) => junit!.startsWith(p) && out!.startsWith(p));
  });

  it('its check command passes on a path that behaves as its scenario says, and writes the JUnit file and the reports', () => {
    expect(midpathRuns).toHaveLength(1);
    const line = midpathRuns[0]!;
    const { scenarios, junit, out } = pathsOf(line);
    const cwd = join(work, 'ok');
    for (const s of scenarios) {
      mkdirSync(join(cwd, s, '..'), { recursive: true });
      copyFileSync(join(REPO, 'examples', 'our-path.yaml'), join(cwd, s));
    }
    const r = runStep(line, cwd);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const xml = readFileSync(join(cwd, junit!), 'utf8');
    expect(isWellFormedXml(xml)).toBe(true);
    expect(xml).toMatch(/<testsuites[^>]* failures="0"/);
    expect(xml.match(/<testcase /g)).toHaveLength(4);
    expect(existsSync(join(cwd, out!, 'index.html'))).toBe(true);
    expect(existsSync(join(cwd, out!, 'results.json'))).toBe(true);
  });

  it('fails the job (exit 1) when a path does not behave as its scenario says, and the JUnit file records it', () => {
    const line = midpathRuns[0]!;
    const { scenarios, junit } = pathsOf(line);
    const cwd = join(work, 'failing');
    for (const s of scenarios) {
      mkdirSync(join(cwd, s, '..'), { recursive: true });
      // the KB 16099 path without the keepalive fix, still claiming that nothing is dropped
      const text = readFileSync(join(REPO, 'examples', 'our-path.yaml'), 'utf8').replace(/^( {2}keepalive: ).*$/m, '$1off');
      writeFileSync(join(cwd, s), `${text}expect:\n  no-mid-path-drop: holds\n`);
    }
    const r = runStep(line, cwd);
    expect(r.status).toBe(1);
    const xml = readFileSync(join(cwd, junit!), 'utf8');
    // the drop, and the half-open connection and unclean close it causes: none named in expect, so each must hold (issue 11 §4)
    expect(xml).toMatch(/<testsuites[^>]* failures="3"/);
    expect(xml).toMatch(/<testcase [^>]*name="no-mid-path-drop"[^>]*>\s*<failure/);
  });
});
