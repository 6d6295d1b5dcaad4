import { createHash } from 'node:crypto';
import t from 'tap';
import { canonicalLine, Trace, TRACE_FORMAT, type TraceRecord } from '../../src/engine/trace.js';

/** The digest as the format defines it: SHA-256 over the version line and one canonical
 *  (JSON.stringify-quoted) line per record. */
function reference(records: TraceRecord[]): string {
  const h = createHash('sha256').update(TRACE_FORMAT + '\n');
  for (const r of records) h.update(canonicalLine(r));
  return h.digest('hex');
}

t.test('names that need JSON escaping are quoted as JSON.stringify quotes them', async (t) => {
  const records: TraceRecord[] = [
    { timeMs: 0, component: 'kubelet/node-1', action: 'create', object: 'Pod/default/web-1' },
    { timeMs: 1, component: 'x', action: 'update', object: 'ConfigMap/default/has"quote' },
    { timeMs: 2, component: 'x', action: 'update', object: 'ConfigMap/default/back\\slash', detail: 'd' },
    { timeMs: 3, component: 'x', action: 'update', object: 'ConfigMap/default/tab\there\u0001' },
    { timeMs: 4, component: 'x', action: 'update', object: 'ConfigMap/default/lone\ud800surrogate' },
    { timeMs: 5, component: 'x', action: 'update', object: 'ConfigMap/default/pair\ud83d\ude00' },
  ];
  const trace = new Trace(false);
  for (const r of records) trace.record(r.timeMs, r.component, r.action, r.object, r.detail);
  t.equal(trace.digest(), reference(records));
  // and a plain name alone, so a wrong quote of any one of the above shows as a mismatch
  const one = new Trace(false);
  one.record(0, 'c', 'a', 'Pod/default/web-1');
  t.equal(one.digest(), reference([{ timeMs: 0, component: 'c', action: 'a', object: 'Pod/default/web-1' }]));
});

t.test('a trace that is not hashed counts its records and has no digest', async (t) => {
  const trace = new Trace(false, false);
  trace.record(0, 'c', 'a', 'Pod/default/web-1');
  trace.record(1, 'c', 'a', 'Pod/default/web-2');
  t.equal(trace.length, 2);
  t.equal(trace.digest(), '');
  t.throws(() => trace.record(2, 'c', 'a', 'x'), /sealed/);
});
