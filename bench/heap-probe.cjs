'use strict';
// Preloaded into the client by bench/outage-memory.ts (`node --expose-gc --require bench/heap-probe.cjs`):
// every HEAP_PROBE_MS (default 10 s) it collects garbage and appends process.memoryUsage() as one JSON line to
// HEAP_PROBE_FILE. Outside the program (nothing in src/, nothing in --help): what it measures is the live heap,
// what survives a full collection, so a leak shows as a rising heapUsed, not as V8's lazy collection.
const { appendFileSync } = require('node:fs');

const file = process.env.HEAP_PROBE_FILE;
if (file !== undefined && file !== '') {
  const started = Date.now();
  const every = Number(process.env.HEAP_PROBE_MS ?? '10000');
  const probe = () => {
    if (typeof global.gc === 'function') global.gc();
    const m = process.memoryUsage();
    const line = {
      s: Math.round((Date.now() - started) / 100) / 10,
      heapUsed: m.heapUsed,
      heapTotal: m.heapTotal,
      external: m.external,
      arrayBuffers: m.arrayBuffers,
      rss: m.rss,
    };
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  };
  setInterval(probe, every).unref();
}
