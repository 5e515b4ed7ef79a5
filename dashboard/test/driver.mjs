// Drives the dashboard's pages in headless Chromium for the Java browser tests and the check-in benchmark
// (local/.../BrowserDriver): one JSON command per line on stdin, one JSON answer per line on stdout. The browser is
// the system's Chromium (Debian's package), driven by playwright-core: nothing is downloaded.
//
//   node test/driver.mjs [--camera FILE.y4m | --camera synthetic]
//
// --camera gives the browser a camera it may use without asking: Chromium's fake capture device, playing FILE (made by
// test/qr-video.py; Chromium loops it) or, with "synthetic", its own moving test pattern, which holds no QR code.
import { chromium } from 'playwright-core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

const { values: options } = parseArgs({ options: { camera: { type: 'string' } } });
const args = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run'];
if (options.camera) {
  args.push('--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream');
  if (options.camera !== 'synthetic') args.push(`--use-file-for-fake-video-capture=${resolve(options.camera)}`);
}

const profile = await mkdtemp(join(tmpdir(), 'headcount-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1600, height: 1000 },
  args,
  permissions: options.camera ? ['camera'] : [],
});

// Before any page script runs, so nothing is missed: what the check-in page announces (checkin:answer,
// checkin:decoded), each state its #answer went through and each state of its counters (#count, #queue, #network,
// the list's version) are kept in window.__headcount for the tests and the benchmark to read. A state can last less
// than one poll of a test, hence an observer rather than reading the page later.
await context.addInitScript(() => {
  const kept = { answers: [], decoded: [], screens: [], status: [], frames: [], camera: null };
  Object.defineProperty(window, '__headcount', { value: kept });
  window.addEventListener('checkin:answer', (e) => kept.answers.push({ ...e.detail, seenAt: performance.now() }));
  window.addEventListener('checkin:decoded', (e) => kept.decoded.push({ ...e.detail, seenAt: performance.now() }));
  const text = (id) => document.getElementById(id)?.textContent ?? null;
  const last = { screens: '', status: '' };
  const keep = (list, state) => {
    const key = JSON.stringify(state);
    if (key === last[list]) return;
    last[list] = key;
    kept[list].push({ ...state, at: performance.now() });
  };
  const look = () => {
    const answer = document.getElementById('answer');
    if (answer) {
      keep('screens', { scanId: answer.dataset.scanId ?? null, verdict: answer.dataset.verdict ?? null,
        final: answer.dataset.final ?? null, participantId: answer.dataset.participant ?? null,
        title: text('answer-title'), detail: text('answer-detail') });
    }
    const network = document.getElementById('network');
    if (network) {
      keep('status', { count: text('count'), queue: text('queue'), online: network.dataset.online ?? null,
        listVersion: document.getElementById('list-age')?.dataset.version ?? null });
    }
  };
  new MutationObserver(look).observe(document, { subtree: true, childList: true, attributes: true,
    characterData: true });
});

const page = context.pages()[0] || await context.newPage();
const console = [];
const dialogs = [];
page.on('console', (m) => console.push(`${m.type()}: ${m.text()}`));
page.on('pageerror', (e) => console.push(`pageerror: ${e.message}`));
page.on('dialog', (d) => {
  dialogs.push(`${d.type()}: ${d.message()}`);
  return d.dismiss();
});

/**
 * Runs in the page: reads the strip that qr-video.py puts on every frame, on each frame the video element presents
 * (requestVideoFrameCallback), and keeps one entry per run of frames with the same number: when its first frame was
 * captured and presented. So "a code appeared" is known from the frames themselves, whatever the page under test does.
 */
function watchCamera({ selector, strip, width }) {
  const kept = window.__headcount;
  if (kept.camera) return 'already watching';
  const canvas = document.createElement('canvas');
  const g = canvas.getContext('2d', { willReadFrequently: true });
  const state = { frames: 0, skipped: 0, last: null, lastPresented: null, watching: false };
  kept.camera = state;
  const onFrame = (now, meta) => {
    const video = document.querySelector(selector);
    if (!video) return;
    const scale = video.videoWidth / width;
    const cells = strip.bits + 1;
    canvas.width = cells;
    canvas.height = 1;
    // one pixel at the middle of each cell: the strip's row, squeezed to one pixel per cell
    g.drawImage(video, strip.x * scale, (strip.y + strip.cell / 2) * scale, cells * strip.cell * scale, 1,
      0, 0, cells, 1);
    const px = g.getImageData(0, 0, cells, 1).data;
    const black = (i) => px[i * 4] < 128;
    let number = 0;
    for (let bit = 0; bit < strip.bits; bit++) if (black(1 + bit)) number |= 1 << bit;
    const present = black(0);
    state.frames += 1;
    if (state.lastPresented !== null && meta.presentedFrames > state.lastPresented + 1) {
      state.skipped += meta.presentedFrames - state.lastPresented - 1;
    }
    state.lastPresented = meta.presentedFrames;
    const value = present ? number : 0;
    if (value !== state.last) {
      // the first frame watched may be part way through a run: its time is not the run's start
      kept.frames.push({ number: value, present, partial: state.last === null, callbackAt: now, presentedAt: meta.presentationTime,
        expectedDisplayAt: meta.expectedDisplayTime, capturedAt: meta.captureTime ?? null,
        mediaTime: meta.mediaTime, presentedFrames: meta.presentedFrames });
      state.last = value;
    }
    video.requestVideoFrameCallback(onFrame);
  };
  const start = () => {
    const video = document.querySelector(selector);
    if (!video) return false;
    video.requestVideoFrameCallback(onFrame);
    state.watching = true;
    return true;
  };
  if (!start()) {
    new MutationObserver((_, observer) => { if (start()) observer.disconnect(); })
      .observe(document.documentElement, { childList: true, subtree: true });
  }
  return 'watching';
}

const commands = {
  open: ({ url }) => page.goto(url),
  fill: ({ selector, value }) => page.fill(selector, value),
  click: ({ selector }) => page.click(selector),
  press: ({ selector, key }) => page.press(selector, key),
  select: ({ selector, value }) => page.selectOption(selector, value).then(() => value),
  text: ({ selector }) => page.textContent(selector),
  attribute: ({ selector, attribute }) => page.getAttribute(selector, attribute),
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
  // a JavaScript expression, evaluated in the page; answers its (JSON) value
  evaluate: ({ expression }) => page.evaluate(expression),
  // waits until the expression is truthy, evaluated on every animation frame; answers its value
  waitForFunction: async ({ expression, timeoutMs }) => {
    const handle = await page.waitForFunction(expression, null, { timeout: timeoutMs || 30_000 });
    return handle.jsonValue();
  },
  // what the check-in page announced and showed since it was opened, and the camera's runs if watched
  events: () => page.evaluate(() => window.__headcount),
  // the browser's own network emulation: the page's requests fail as with no network, and navigator.onLine follows
  setOffline: ({ offline }) => context.setOffline(Boolean(offline)).then(() => Boolean(offline)),
  // reads the qr-video.py strip on every frame the element presents: see watchCamera
  watchCamera: ({ selector, strip, width }) => page.evaluate(watchCamera, { selector, strip, width }),
  screenshot: ({ path }) => page.screenshot({ path, fullPage: true }).then(() => path),
  console: () => console.slice(-50),
  dialogs: () => dialogs.slice(),
};

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  const command = JSON.parse(line);
  if (command.cmd === 'close') break;
  try {
    if (!commands[command.cmd]) throw new Error(`no command ${command.cmd}`);
    const value = await commands[command.cmd](command);
    process.stdout.write(`${JSON.stringify({ ok: true, value: value ?? null })}\n`);
  } catch (e) {
    const text = await page.textContent('body').catch(() => '');
    process.stdout.write(`${JSON.stringify({ ok: false, error: e.message.split('\n')[0], page: (text || '').slice(0, 2000), console: console.slice(-20) })}\n`);
  }
}
await context.close();
await rm(profile, { recursive: true, force: true });
// stdin may still be open (the Java side closes it after this answer): without this node would wait for its end
process.exit(0);
