// Drives the dashboard in headless Chromium for the Java browser test (local/.../DashboardBrowserTest): one JSON
// command per line on stdin, one JSON answer per line on stdout. The browser is the system's Chromium (Debian's
// package), driven by playwright-core: nothing is downloaded.
import { chromium } from 'playwright-core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const profile = await mkdtemp(join(tmpdir(), 'headcount-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1600, height: 1000 },
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run'],
});
const page = context.pages()[0] || await context.newPage();
const console = [];
page.on('console', (m) => console.push(`${m.type()}: ${m.text()}`));
page.on('pageerror', (e) => console.push(`pageerror: ${e.message}`));

const commands = {
  open: ({ url }) => page.goto(url),
  fill: ({ selector, value }) => page.fill(selector, value),
  click: ({ selector }) => page.click(selector),
  text: ({ selector }) => page.textContent(selector),
  // waits until the element's text (or one of its attributes) matches the pattern; answers what it was
  waitFor: async ({ selector, pattern, attribute, timeoutMs }) => {
    const handle = await page.waitForFunction(([sel, pat, attr]) => {
      const el = document.querySelector(sel);
      if (!el) return false;
      const value = attr ? el.getAttribute(attr) : el.textContent;
      return value !== null && new RegExp(pat).test(value) ? value : false;
    }, [selector, pattern, attribute || null], { timeout: timeoutMs || 30_000, polling: 100 });
    return handle.jsonValue();
  },
  screenshot: ({ path }) => page.screenshot({ path, fullPage: true }).then(() => path),
  console: () => console.slice(-50),
};

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  const command = JSON.parse(line);
  if (command.cmd === 'close') break;
  try {
    const value = await commands[command.cmd](command);
    process.stdout.write(`${JSON.stringify({ ok: true, value: value ?? null })}\n`);
  } catch (e) {
    const text = await page.textContent('body').catch(() => '');
    process.stdout.write(`${JSON.stringify({ ok: false, error: e.message.split('\n')[0], page: text.slice(0, 2000), console: console.slice(-20) })}\n`);
  }
}
await context.close();
await rm(profile, { recursive: true, force: true });
