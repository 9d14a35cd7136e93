import chromiumBinary from '@sparticuz/chromium';
import { chromium, type Browser } from 'playwright-core';

/**
 * Flags of `@sparticuz/chromium` that suit AWS Lambda but not these tests:
 * `--single-process` (one renderer for every page: a second page crashed the
 * browser here) and the two that switch off web security, which would hide a
 * broken Content Security Policy or a cross-origin request.
 */
const DROPPED = new Set(['--single-process', '--disable-web-security', '--allow-running-insecure-content']);

/** The launch flags: the package's own, less {@link DROPPED}. */
export const CHROMIUM_ARGS: readonly string[] = chromiumBinary.args.filter((a) => !DROPPED.has(a));

/**
 * Launches the headless Chromium that the npm package `@sparticuz/chromium`
 * ships (unpacked to the temporary folder on first use) through
 * playwright-core: nothing but Node and `npm ci` is needed.
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = await chromiumBinary.executablePath();
  return chromium.launch({ executablePath, args: [...CHROMIUM_ARGS], headless: true });
}
