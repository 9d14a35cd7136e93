import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';

/** How far a screenshot is from its committed reference image. */
export interface ScreenshotDiff {
  /** Pixels that differ beyond pixelmatch's colour threshold (anti-aliasing ignored). */
  readonly differing: number;
  /** The same as a share of all pixels (0..1); 1 when the sizes differ. */
  readonly share: number;
  readonly sameSize: boolean;
  /** The reference was missing and has been written (only with MIDPATH_UPDATE_SCREENSHOTS=1). */
  readonly written: boolean;
}

/**
 * Compares a PNG screenshot with the reference image at `reference`
 * (pngjs + pixelmatch, threshold 0.1). With MIDPATH_UPDATE_SCREENSHOTS=1 the
 * reference is (re)written from the screenshot instead; without it, a
 * missing reference is an error that says how to make one.
 */
export function compareScreenshot(png: Uint8Array, reference: string): ScreenshotDiff {
  if (process.env['MIDPATH_UPDATE_SCREENSHOTS'] === '1') {
    mkdirSync(dirname(reference), { recursive: true });
    writeFileSync(reference, png);
    return { differing: 0, share: 0, sameSize: true, written: true };
  }
  if (!existsSync(reference)) throw new Error(`${reference} is missing: run the test once with MIDPATH_UPDATE_SCREENSHOTS=1 and commit the image`);
  const a = PNG.sync.read(Buffer.from(png));
  const b = PNG.sync.read(readFileSync(reference));
  if (a.width !== b.width || a.height !== b.height) return { differing: a.width * a.height, share: 1, sameSize: false, written: false };
  const differing = pixelmatch(a.data, b.data, undefined, a.width, a.height, { threshold: 0.1 });
  return { differing, share: differing / (a.width * a.height), sameSize: true, written: false };
}
