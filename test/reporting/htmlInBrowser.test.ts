import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/check.ts';
import { junitXml } from '../../src/reporting/junitXml.ts';
import { reportFiles, type CheckedScenario } from '../../src/cli/reportFiles.ts';
import { svgRenderer } from '../../src/reporting/renderSvg.ts';
import { loadPreset } from '../../src/scenarios/presets.ts';
import { launchChromium } from './chromium.ts';
import { compareScreenshot } from './compareScreenshot.ts';
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

async function open(browser: Browser, file: string, width = 1280): Promise<Opened> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
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
    const kbChecked = ['kb-16099', 'kb-16099-gwlb-reset', 'kb-16099-keepalive-325'].map((n) => {
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
    const stats = pngStats(png);
    expect(stats.width).toBe(1280);
    expect(stats.colours).toBeGreaterThan(20);
    expect(stats.lumaStdDev).toBeGreaterThan(10);
    expect(await page.locator('h2').allTextContents()).toEqual(expect.arrayContaining(['Verdicts', 'Counterexamples', 'Machines']));
    expect(await page.locator('figure.mp-machine svg').count()).toBe(3);
    expect(await page.locator('figure.mp-system svg').count()).toBe(2);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

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
  }, 60_000);

  describe.each([1024, 1600])('at %i px wide', (width) => {
    let opened: Opened;
    beforeAll(async () => {
      opened = await open(browser, join(kb.dir, 'index.html'), width);
    }, 60_000);
    afterAll(async () => {
      await opened?.page.close();
    });

    it('fits every sequence diagram in its container, every lane and every text inside the SVG\'s visible box', async () => {
      const report = await opened.page.evaluate(() => {
        const out: string[] = [];
        let texts = 0;
        for (const fig of Array.from(document.querySelectorAll('figure.mp-sequence-figure'))) {
          const svg = fig.querySelector('svg.mp-sequence');
          if (!svg) {
            out.push('figure without svg');
            continue;
          }
          if (fig.scrollWidth > fig.clientWidth + 1) out.push(`figure ${fig.getAttribute('data-trace')} scrolls sideways: ${fig.scrollWidth} > ${fig.clientWidth}`);
          const s = svg.getBoundingClientRect();
          const f = fig.getBoundingClientRect();
          const box = { left: Math.max(s.left, f.left), right: Math.min(s.right, f.right), top: s.top, bottom: s.bottom };
          for (const t of Array.from(svg.querySelectorAll('text'))) {
            texts += 1;
            const r = t.getBoundingClientRect();
            if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5) {
              out.push(`"${t.textContent}" [${Math.round(r.left)}, ${Math.round(r.right)}] × [${Math.round(r.top)}, ${Math.round(r.bottom)}] leaves [${Math.round(box.left)}, ${Math.round(box.right)}] × [${Math.round(box.top)}, ${Math.round(box.bottom)}]`);
            }
          }
        }
        return { out, texts };
      });
      expect(report.texts).toBeGreaterThan(50);
      expect(report.out).toEqual([]);
      expect(opened.problems).toEqual([]);
    });

    it('draws machine graphs at a readable size, and the composed-state graph with no overlapping labels or says why it is omitted', async () => {
      const report = await opened.page.evaluate(() => {
        const small: string[] = [];
        const overlaps: string[] = [];
        for (const t of Array.from(document.querySelectorAll('figure.mp-machine svg text, figure.mp-system svg text'))) {
          const h = t.getBoundingClientRect().height;
          if (h < 9) small.push(`${t.textContent} (${h.toFixed(1)} px)`);
        }
        for (const svg of Array.from(document.querySelectorAll('figure.mp-system svg'))) {
          const boxes = Array.from(svg.querySelectorAll('g.node text')).map((t) => ({ t: t.textContent, r: t.getBoundingClientRect(), g: t.parentElement }));
          for (let i = 0; i < boxes.length; i++) {
            for (let j = i + 1; j < boxes.length; j++) {
              const a = boxes[i]!;
              const b = boxes[j]!;
              if (a.g === b.g) continue;
              if (a.r.left < b.r.right && b.r.left < a.r.right && a.r.top < b.r.bottom && b.r.top < a.r.bottom) overlaps.push(`${a.t} / ${b.t}`);
            }
          }
        }
        const systems = document.querySelectorAll('figure.mp-system svg').length;
        const omitted = Array.from(document.querySelectorAll('#systems ~ p.mp-note')).map((p) => p.textContent ?? '');
        return { small, overlaps, systems, omitted };
      });
      expect(report.small).toEqual([]);
      expect(report.overlaps).toEqual([]);
      expect(report.systems).toBeGreaterThan(0);
      expect(report.omitted.length).toBeGreaterThan(0);
      for (const o of report.omitted) expect(o).toMatch(/omitted.*\d+ (symbolic|discrete) states/);
    });

    it('jumps to the violation: the violating step is in view in the diagram, in the step table and on the screen', async () => {
      const { page } = opened;
      const explorers = await page.locator('section.mp-explorer').count();
      expect(explorers).toBeGreaterThan(1);
      for (let i = 0; i < explorers; i++) {
        await page.locator(`section.mp-explorer[data-trace="${i}"] button[data-act="drop"]`).click();
        const seen = await page.evaluate((k) => {
          const inside = (el: Element | null, box: Element | null): boolean => {
            if (!el || !box) return false;
            const r = el.getBoundingClientRect();
            const b = box.getBoundingClientRect();
            return r.top >= b.top - 1 && r.bottom <= b.bottom + 1 && r.height > 0;
          };
          const fig = document.querySelector(`figure.mp-sequence-figure[data-trace="${k}"]`);
          const g = fig?.querySelector('g.mp-step.mp-violation.mp-current') ?? null;
          const marks = g;
          const table = document.querySelector(`.mp-steps-box[data-trace="${k}"]`);
          const row = table?.querySelector('tr.mp-violation.mp-current') ?? null;
          const viewport = { getBoundingClientRect: () => new DOMRect(0, 0, window.innerWidth, window.innerHeight) } as unknown as Element;
          return { inFigure: inside(marks, fig), onScreen: inside(marks, viewport), inTable: inside(row, table) };
        }, i);
        expect(seen, `counterexample ${i}`).toEqual({ inFigure: true, onScreen: true, inTable: true });
      }
      expect(opened.problems).toEqual([]);
    }, 60_000);

    it('looks like the committed reference image after the jump', async () => {
      const { page } = opened;
      await page.locator('section.mp-explorer[data-trace="0"] button[data-act="first"]').click();
      await page.locator('section.mp-explorer[data-trace="0"] button[data-act="drop"]').click();
      await page.mouse.move(0, 0);
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      const png = await page.screenshot({ fullPage: false });
      expect(pngStats(png).width).toBe(width);
      const reference = width === 1600 ? fileURLToPath(new URL('../../docs/report.png', import.meta.url)) : fileURLToPath(new URL(`./fixtures/report-${width}.png`, import.meta.url));
      const diff = compareScreenshot(png, reference);
      writeFileSync(join(tmpdir(), `midpath-report-${width}.png`), png);
      expect(diff.sameSize, `${reference}: same size`).toBe(true);
      expect(diff.share, `${reference}: ${diff.differing} pixels differ`).toBeLessThan(0.01);
    }, 60_000);
  });
});
