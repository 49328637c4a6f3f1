/**
 * Headless Chromium for tests that look at a page as users do, launched as the HTML report's
 * browser test does (Debian's Chromium through playwright-core, no sandbox since CI runs as root).
 * Chromium missing is a failure, not a skip.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** The Chromium binary (CHROMIUM_PATH, else Debian's). */
export const CHROMIUM: string = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Launch headless Chromium; close it in the same test (finally), so nothing outlives the test. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: run \`apt-get install -y chromium\` (or set CHROMIUM_PATH to a Chromium binary).`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}

/** What a page did: console errors and warnings, uncaught errors, requests, dialogs (alert() and the like). */
export interface PageWatch {
  /** Console errors and warnings, and uncaught exceptions. */
  errors: string[];
  /** URLs the page requested, in order. */
  requests: string[];
  /** Messages of dialogs it opened (each dismissed). */
  dialogs: string[];
}

/** Record what `page` does from now on. */
export function watchPage(page: Page): PageWatch {
  const seen: PageWatch = { errors: [], requests: [], dialogs: [] };
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') seen.errors.push(`console ${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => seen.errors.push(`page error: ${e.message}`));
  page.on('request', (r) => seen.requests.push(r.url()));
  page.on('dialog', (d) => { seen.dialogs.push(d.message()); void d.dismiss(); });
  return seen;
}
