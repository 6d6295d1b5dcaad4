// Virtual time: integer milliseconds. Durations are written Go-style (time.ParseDuration):
// "500ms", "30s", "1m30s", "2h", or a plain 0. kubedrill's clock has millisecond resolution,
// so anything finer than a millisecond, a fraction of a millisecond, or a negative value is rejected.

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const FINER_UNITS = new Set(['ns', 'us', 'µs', 'μs']);

export type DurationResult = { ok: true; ms: number } | { ok: false; message: string };

export function parseDuration(input: unknown): DurationResult {
  if (input === 0 || input === '0') return { ok: true, ms: 0 };
  if (typeof input !== 'string') {
    return { ok: false, message: `a duration must be a string such as "30s" or "1m30s", got ${JSON.stringify(input)}` };
  }
  const text = input.trim();
  if (text.startsWith('-')) return { ok: false, message: `negative duration "${input}"` };
  const part = /(\d+(?:\.\d+)?)(ms|ns|us|µs|μs|s|m|h)/y;
  let total = 0;
  let at = 0;
  while (at < text.length) {
    part.lastIndex = at;
    const m = part.exec(text);
    if (!m) return { ok: false, message: `invalid duration "${input}" (expected Go form such as 500ms, 30s, 1m30s, 2h)` };
    const [, num, unit] = m as unknown as [string, string, string];
    if (FINER_UNITS.has(unit)) return { ok: false, message: `duration "${input}" is finer than the 1ms clock resolution` };
    const ms = exactMs(num, UNIT_MS[unit]!);
    if (ms === undefined) return { ok: false, message: `duration "${input}" is not a whole number of milliseconds` };
    total += ms;
    at = part.lastIndex;
  }
  if (text.length === 0) return { ok: false, message: 'empty duration' };
  if (!Number.isSafeInteger(total)) return { ok: false, message: `duration "${input}" is too large` };
  return { ok: true, ms: total };
}

/** `num` (decimal text) × unitMs, exactly, or undefined when the result is not an integer. */
function exactMs(num: string, unitMs: number): number | undefined {
  const [whole, frac = ''] = num.split('.') as [string, string?];
  const scale = 10 ** frac.length;
  const scaled = (Number(whole) * scale + Number(frac || '0')) * unitMs;
  if (scaled % scale !== 0) return undefined;
  return scaled / scale;
}

/** Go-style rendering: 0s, 500ms, 1m30s, 2h0m5s, 1.5s. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  if (rest < 1000) return `${sign}${rest}ms`;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = rest / 1000;
  if (h > 0) return `${sign}${h}h${m}m${s}s`;
  if (m > 0) return `${sign}${m}m${s}s`;
  return `${sign}${s}s`;
}
