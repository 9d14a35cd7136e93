import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/check.ts';
import { junitXml } from '../../src/cli/junitXml.ts';
import { reportFiles, type CheckedScenario } from '../../src/cli/reportFiles.ts';
import { svgRenderer } from '../../src/reporting/renderSvg.ts';
import { loadPreset } from '../../src/scenarios/presets.ts';
import { launchChromium } from './chromium.ts';
import { pngStats } from './pngStats.ts';

const HOSTILE = '<img src=x onerror=alert(1)>';

/** Checks presets in-process and writes their report files into a fresh folder; returns the folder and the text files. */
async function writeReport(checked: readonly CheckedScenario[]): Promise<{ dir: string; texts: Map<string, string> }> {
  const dir = mkdtempSync(join(tmpdir(), 'midpath-html-'));
  const texts = new Map<string, string>();
  for (const f of reportFiles(checked, await svgRenderer())) {
    if (typeof f.data === 'string') texts.set(f.name, f.data);
    if (!f.name.includes('/')) writeFileSync(join(dir, f.name.replace(/[<>]/g, '_')), f.data);
  }
  return { dir, texts };
}

interface Opened {
  page: Page;
  problems: string[];
}

async function open(browser: Browser, file: string): Promise<Opened> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('request', (r) => {
    if (!r.url().startsWith('file:')) problems.push(`request: ${r.url()}`);
  });
  await page.goto(pathToFileURL(file).href);
  return { page, problems };
}

describe('index.html in headless Chromium', () => {
  let browser: Browser;
  let dirs: string[] = [];
  let kb: { dir: string; texts: Map<string, string> };
  let hostile: { dir: string; texts: Map<string, string>; junit: string };

  beforeAll(async () => {
    const kbChecked = ['kb-16099', 'kb-16099-gwlb-reset'].map((n) => {
      const scenario = loadPreset(n);
      return { scenario, result: check(scenario) };
    });
    const evil = { ...loadPreset('kb-16099-gwlb-reset'), name: HOSTILE, description: `</script><script>alert(2)</script> ${HOSTILE}` };
    const evilChecked = [{ scenario: evil, result: check(evil) }];
    [browser, kb] = await Promise.all([launchChromium(), writeReport(kbChecked)]);
    hostile = { ...(await writeReport(evilChecked)), junit: junitXml(evilChecked.map((c) => c.result)) };
    dirs = [kb.dir, hostile.dir];
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('opens from disk with no console errors and no network, and the explorer steps through the counterexample', async () => {
    const { page, problems } = await open(browser, join(kb.dir, 'index.html'));
    const ex = page.locator('section.mp-explorer[data-trace="0"]');
    const pos = ex.locator('[data-role="pos"]');
    const text = ex.locator('[data-role="text"]');
    await expect.poll(() => pos.textContent()).toContain('step 1 /');
    const first = await text.textContent();
    await ex.locator('button[data-act="next"]').click();
    expect(await pos.textContent()).toContain('step 2 /');
    expect(await text.textContent()).not.toBe(first);
    await ex.locator('button[data-act="drop"]').click();
    expect(await pos.textContent()).toContain('VIOLATION');
    expect(await text.textContent()).toContain('DROPS it (non-syn-no-session)');
    expect(await ex.locator('[data-role="violates"]').textContent()).toContain('no-mid-path-drop');
    expect(await ex.locator('[data-role="states"] tr').count()).toBe(5);
    expect(await page.locator('figure.mp-sequence-figure[data-trace="0"] g.mp-step.mp-current.mp-violation').count()).toBe(1);
    await page.keyboard.press('ArrowLeft');
    expect(await pos.textContent()).not.toContain('VIOLATION');
    await page.keyboard.press('ArrowRight');
    expect(await pos.textContent()).toContain('VIOLATION');
    const png = await page.screenshot({ fullPage: false });
    writeFileSync(join(tmpdir(), 'midpath-report-screenshot.png'), png);
    const stats = pngStats(png);
    expect(stats.width).toBe(1280);
    expect(stats.colours).toBeGreaterThan(20);
    expect(stats.lumaStdDev).toBeGreaterThan(10);
    expect(await page.locator('h2').allTextContents()).toEqual(expect.arrayContaining(['Verdicts', 'Counterexamples', 'Machines']));
    expect(await page.locator('figure.mp-machine svg').count()).toBe(3);
    expect(await page.locator('figure.mp-system svg').count()).toBe(1);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('keeps a scenario named <img src=x onerror=alert(1)> as text in HTML, SVG, Mermaid and JUnit XML', async () => {
    for (const [name, text] of [...hostile.texts].filter(([n]) => /\.(html|svg|mmd|dot)$/.test(n))) {
      expect(text, name).not.toContain('<img');
      expect(text, name).not.toContain('<script>alert');
    }
    expect(hostile.junit).not.toContain('<img');
    expect(hostile.junit).toContain('&lt;img src=x onerror=alert(1)&gt;');
    const mmd = [...hostile.texts.entries()].filter(([n]) => n.endsWith('.mmd'));
    expect(mmd.length).toBeGreaterThan(0);
    const { page, problems } = await open(browser, join(hostile.dir, 'index.html'));
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('table.mp-verdicts td').first().textContent()).toBe(HOSTILE);
    expect(await page.locator('svg.mp-sequence > title').first().textContent()).toContain(HOSTILE);
    await page.locator('section.mp-explorer button[data-act="next"]').first().click();
    expect(problems).toEqual([]);
    await page.close();
  });
});
