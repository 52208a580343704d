// The browser tests' few tools: Debian's Chromium driven by playwright-core, steps that
// report like a test runner, an axe-core check and a screenshot of every page.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// The flags this machine needs (ARCHITECTURE.md, "Browser"): no sandbox as root, and no
// background connections, which a closed network refuses.
const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function launch({ locale = 'en-US' } = {}) {
  const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
  const profile = mkdtempSync(join(tmpdir(), 'boxoffice-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: CHROMIUM_FLAGS,
    locale,
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
  });
  // Every wait is for an event (an element, a request, a page); this only bounds one that
  // never comes. Minutes, not seconds: under `make test` the stack, the browser and the
  // other packages' tests share two cores, and a step that fails only because the machine
  // was busy says nothing about the console.
  context.setDefaultTimeout(2 * 60_000);
  const page = context.pages()[0] ?? (await context.newPage());
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return {
    context,
    page,
    problems,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Steps run in order; the first failure stops the run (later steps build on earlier ones).
 * E2E_ONLY (a regular expression) runs only the steps whose names match, for work on one
 * page: steps that need no earlier ones (the orders steps sign in themselves).
 */
export class Run {
  passed = 0;
  failed = 0;
  skipped = 0;
  #steps = [];
  #only = process.env.E2E_ONLY ? new RegExp(process.env.E2E_ONLY) : null;

  step(name, fn) {
    if (this.#only && !this.#only.test(name)) return;
    this.#steps.push({ name, fn });
  }

  async go() {
    for (const [i, s] of this.#steps.entries()) {
      if (this.failed > 0) {
        this.skipped++;
        console.log(`skip - ${s.name}`);
        continue;
      }
      const started = Date.now();
      try {
        await s.fn();
        this.passed++;
        console.log(`ok ${i + 1} - ${s.name} (${Date.now() - started} ms)`);
      } catch (e) {
        this.failed++;
        console.log(`not ok ${i + 1} - ${s.name}\n  ${String(e?.stack ?? e).split('\n').join('\n  ')}`);
      }
    }
    console.log(`${this.passed} passed, ${this.failed} failed, ${this.skipped} skipped`);
    return this.failed === 0;
  }
}

/** checkPage runs axe-core on what the page shows now and saves its screenshot. */
export async function checkPage(page, name) {
  const dir = process.env.SCREENSHOT_DIR ?? new URL('./screenshots/', import.meta.url).pathname;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length > 0) {
    const lines = bad.map((v) => `${v.impact} ${v.id}: ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`);
    throw new Error(`axe on ${name}:\n  ${lines.join('\n  ')}`);
  }
}

export function assert(cond, message) {
  if (!cond) throw new Error(message);
}

export function assertEqual(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: got ${a}, want ${e}`);
}
