// The trace: one record per thing a component did, in the order it happened. Its digest
// (SHA-256 over canonical JSON lines, prefixed with a format version) identifies a run: the
// same scenario and seed give the same digest on any machine.
import { createHash, type Hash } from 'node:crypto';

export const TRACE_FORMAT = 'kubedrill-trace-v1';

export interface TraceRecord {
  readonly timeMs: number;
  readonly component: string;
  readonly action: string;
  /** The object acted on, as `Kind/namespace/name` or `Kind/name`. */
  readonly object: string;
  readonly detail?: string;
}

export class Trace {
  private readonly hash: Hash | undefined;
  private readonly kept: TraceRecord[] = [];
  private count = 0;
  private digestValue: string | undefined;

  /**
   * keepRecords=false hashes records without keeping them (benchmarks); hashed=false only counts
   * them (fuzz runs, which never show a digest): digest() is then ''.
   */
  constructor(
    private readonly keepRecords = true,
    hashed = true,
  ) {
    this.hash = hashed ? createHash('sha256').update(TRACE_FORMAT + '\n') : undefined;
  }

  /** Whether a record's text is read (only counted when not: a caller may pass any text). */
  get readsRecords(): boolean {
    return this.hash !== undefined;
  }

  /** Lines not yet fed to the hash: hashing in 64 KiB chunks is much cheaper than per line,
   *  and the digest is the same (SHA-256 is streamed). */
  private pending = '';

  record(timeMs: number, component: string, action: string, object: string, detail?: string): void {
    if (this.digestValue !== undefined) throw new Error('trace already sealed');
    if (this.hash === undefined) {
      this.count++;
      return;
    }
    this.pending += lineOf(timeMs, this.quoted(component), this.quoted(action), jsonString(object), detail);
    if (this.pending.length > 65_536) {
      this.hash.update(this.pending);
      this.pending = '';
    }
    this.count++;
    if (this.keepRecords) this.kept.push(detail === undefined ? { timeMs, component, action, object } : { timeMs, component, action, object, detail });
  }

  /** JSON.stringify(s) for the few component and action names a run writes, once each (object
   *  names are mostly distinct: caching them would only keep them alive). */
  private readonly quotes = new Map<string, string>();

  private quoted(s: string): string {
    let q = this.quotes.get(s);
    if (q === undefined) this.quotes.set(s, (q = JSON.stringify(s)));
    return q;
  }

  get length(): number {
    return this.count;
  }

  get records(): readonly TraceRecord[] {
    return this.kept;
  }

  /** Seals the trace and returns its hex digest (idempotent). */
  digest(): string {
    if (this.digestValue === undefined) this.digestValue = this.hash === undefined ? '' : this.hash.update(this.pending).digest('hex');
    return this.digestValue;
  }
}

export function canonicalLine(r: TraceRecord): string {
  return lineOf(r.timeMs, JSON.stringify(r.component), JSON.stringify(r.action), JSON.stringify(r.object), r.detail);
}

/** Characters JSON.stringify escapes in a string: quote, backslash, controls, lone surrogates. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** JSON.stringify(s) for a string, without the call when nothing needs escaping. */
function jsonString(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

/** The one canonical line format; names come already JSON-quoted (the trace caches them). */
function lineOf(timeMs: number, component: string, action: string, object: string, detail: string | undefined): string {
  return `[${timeMs},${component},${action},${object}${detail === undefined ? '' : `,${JSON.stringify(detail)}`}]\n`;
}
