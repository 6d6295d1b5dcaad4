import t from 'tap';
import { formatDuration, parseDuration } from '../../src/engine/time.js';

// Go's time.ParseDuration forms that fit a millisecond clock (time/time_test.go parseDurationTests,
// the rows with whole milliseconds).
const good: Array<[unknown, number]> = [
  ['0', 0],
  [0, 0],
  ['5s', 5000],
  ['30s', 30_000],
  ['1478s', 1_478_000],
  ['1.5s', 1500],
  ['0.5s', 500],
  ['1m30s', 90_000],
  ['2h', 7_200_000],
  ['1h2m3s', 3_723_000],
  ['500ms', 500],
  ['10.5m', 630_000],
  ['3h30m', 12_600_000],
];
for (const [input, ms] of good) {
  t.test(`parse ${JSON.stringify(input)}`, async (t) => {
    const r = parseDuration(input);
    t.same(r, { ok: true, ms });
  });
}

const bad: Array<[unknown, RegExp]> = [
  ['', /empty|invalid/],
  ['3', /invalid duration/],
  ['-1s', /negative/],
  ['1.5ms', /whole number of milliseconds/],
  ['10ns', /finer than/],
  ['1d', /invalid duration/],
  [5, /must be a string/],
  [null, /must be a string/],
  ['1s 2s', /invalid duration/],
];
for (const [input, re] of bad) {
  t.test(`reject ${JSON.stringify(input)}`, async (t) => {
    const r = parseDuration(input);
    t.equal(r.ok, false);
    if (!r.ok) t.match(r.message, re);
  });
}

t.test('format', async (t) => {
  t.equal(formatDuration(0), '0s');
  t.equal(formatDuration(500), '500ms');
  t.equal(formatDuration(1500), '1.5s');
  t.equal(formatDuration(90_000), '1m30s');
  t.equal(formatDuration(405_100), '6m45.1s');
  t.equal(formatDuration(3_723_000), '1h2m3s');
  // As Go's time.Duration prints them (Permit's timeout message quotes them).
  t.equal(formatDuration(10_000), '10s');
  t.equal(formatDuration(15 * 60_000), '15m0s');
  t.equal(formatDuration(3_600_000), '1h0m0s');
  t.equal(formatDuration(61_250), '1m1.25s');
});
