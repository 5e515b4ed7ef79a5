// The check-in page's service worker: the page, its script, styles, icon and manifest come from this cache, so a phone
// opens the page with no network at all. The cache is named by the build's hash (VERSION, set by build.mjs): a new
// deployment installs a new cache and drops the old one. Only these files are answered here; every other request
// (the dashboard's, the API's, the allow-list download) goes to the network untouched.
/* global VERSION */
const CACHE = `headcount-checkin-${VERSION}`;
const SHELL = ['checkin.html', 'checkin.js', 'checkin.css', 'icon.svg', 'manifest.webmanifest'];
// where the APIs answer: from the network when there is one, else the copy kept at the last start
const CONFIG = 'config.json';

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll([...SHELL, CONFIG])).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith('headcount-checkin-') && k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  const name = url.pathname.slice(url.pathname.lastIndexOf('/') + 1);
  if (name === CONFIG) {
    event.respondWith(fetch(event.request).then((response) => {
      if (response.ok) {
        const copy = response.clone();
        caches.open(CACHE).then((cache) => cache.put(CONFIG, copy));
      }
      return response;
    }).catch(() => caches.match(CONFIG, { cacheName: CACHE }).then((r) => r || Response.error())));
  } else if (SHELL.includes(name)) {
    event.respondWith(caches.match(name, { cacheName: CACHE }).then((cached) => cached || fetch(event.request)));
  }
});
