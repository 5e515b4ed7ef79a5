// The phone's own memory, in IndexedDB so it outlives a reload, a closed tab and a dead battery: the allow-list it
// decides from, and every scan it made with its provisional and final answers. A scan is written here before it is
// sent, so one the network never took is still sent when the page next opens.

const DB = 'headcount-checkin';

function request(r) {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

export async function openStore(indexedDB = globalThis.indexedDB) {
  const open = indexedDB.open(DB, 1);
  open.onupgradeneeded = () => {
    const db = open.result;
    db.createObjectStore('lists', { keyPath: 'key' });
    db.createObjectStore('scans', { keyPath: 'scanId' }).createIndex('state', 'state');
  };
  const db = await request(open);
  const tx = (name, mode, work) => new Promise((resolve, reject) => {
    const t = db.transaction(name, mode);
    const result = work(t.objectStore(name));
    t.oncomplete = () => resolve(result instanceof IDBRequest ? result.result : result);
    t.onerror = () => reject(t.error);
    t.onabort = () => reject(t.error);
  });
  return {
    /** {key, text, version, sha256, confirmedAt} of an event's gate, or undefined. */
    list: (key) => tx('lists', 'readonly', (s) => s.get(key)),
    saveList: (entry) => tx('lists', 'readwrite', (s) => s.put(entry)),
    confirmList: async (key, confirmedAt) => tx('lists', 'readwrite', (s) => {
      const r = s.get(key);
      r.onsuccess = () => { if (r.result) s.put({ ...r.result, confirmedAt }); };
    }),
    saveScan: (scan) => tx('scans', 'readwrite', (s) => s.put(scan)),
    /** Scans still to be sent, oldest first. */
    queued: async () => (await tx('scans', 'readonly', (s) => s.index('state').getAll('queued')))
      .sort((a, b) => a.createdAt - b.createdAt),
    /** Scans made since {@code since} (ms): what the window and the counter need after a reload. */
    since: async (since) => (await tx('scans', 'readonly', (s) => s.getAll()))
      .filter((scan) => scan.createdAt >= since).sort((a, b) => a.createdAt - b.createdAt),
  };
}
