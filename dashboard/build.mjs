// Builds the dashboard into dist/: the app and Chart.js bundled into one script (no CDN: venues' screens and these
// machines may have no internet), the page and its styles copied. config.json is not built: the local stack serves
// it, and the CDK app deploys it with the stack's API addresses.
import { build } from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';

const out = new URL('./dist/', import.meta.url);
await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
await build({
  entryPoints: [new URL('./src/main.js', import.meta.url).pathname],
  bundle: true,
  minify: true,
  sourcemap: false,
  format: 'esm',
  target: ['chrome110', 'firefox110', 'safari16'],
  outfile: new URL('./app.js', out).pathname,
  logLevel: 'warning',
});
for (const file of ['index.html', 'style.css']) {
  await copyFile(new URL(`./src/${file}`, import.meta.url), new URL(file, out));
}
