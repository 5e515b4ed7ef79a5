// Builds the dashboard and the check-in page into dist/: each app bundled into one script with its libraries
// (Chart.js; jsQR) so no CDN is needed (venues' screens and these machines may have no internet), the pages and their
// styles copied, and the check-in page's service worker named by a hash of what it caches. config.json is not built:
// the local stack serves it, and the CDK app deploys it with the stack's API addresses.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';

const out = new URL('./dist/', import.meta.url);
const src = (file) => new URL(`./src/${file}`, import.meta.url).pathname;
const bundle = (entry, outfile, define = {}) => build({
  entryPoints: [src(entry)],
  bundle: true,
  minify: true,
  sourcemap: false,
  format: 'esm',
  target: ['chrome110', 'firefox110', 'safari16'],
  outfile: new URL(outfile, out).pathname,
  logLevel: 'warning',
  define,
});

await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
await bundle('main.js', 'app.js');
await bundle('checkin/main.js', 'checkin.js');
const shell = ['checkin.html', 'checkin.css', 'icon.svg', 'manifest.webmanifest'];
for (const file of ['index.html', 'style.css', ...shell]) {
  await copyFile(src(file), new URL(file, out));
}
const hash = createHash('sha256');
for (const file of ['checkin.js', ...shell]) hash.update(await readFile(new URL(file, out)));
await bundle('sw.js', 'sw.js', { VERSION: JSON.stringify(hash.digest('hex').slice(0, 16)) });
