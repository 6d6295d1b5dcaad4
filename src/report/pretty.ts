// The human reporter: one line per scenario with its seed and trace digest, failures with their
// location, message and diff, located load errors, and a summary with a replay line.
import { formatDuration } from '../engine/time.js';
import type { Failure, ScenarioResult } from '../scenario/run.js';
import { type LoadError, formatLoadError } from '../scenario/types.js';
import type { Colors } from './colors.js';
import type { Reporter, Summary, Write } from './reporter.js';

export class PrettyReporter implements Reporter {
  private readonly failed: ScenarioResult[] = [];

  constructor(
    private readonly write: Write,
    private readonly c: Colors,
  ) {}

  onCollected(count: number): void {
    this.write(this.c.dim(`kubedrill: ${count} scenario(s)\n`));
  }

  onResult(r: ScenarioResult, wallMs: number): void {
    const mark = r.passed ? this.c.green('✓ pass') : this.c.red('✗ FAIL');
    this.write(`${mark} ${r.name} ${this.c.dim(`${r.file}:${r.loc.line}  seed=${r.seed} digest=${r.digest.slice(0, 16)} virtual=${formatDuration(r.endMs)} steps=${r.steps} ${wallMs}ms`)}\n`);
    if (r.passed) return;
    this.failed.push(r);
    for (const f of r.failures) this.write(indent(this.failure(f), '    ') + '\n');
  }

  private failure(f: Failure): string {
    switch (f.kind) {
      case 'expectation': {
        const head = `${this.c.bold(`${f.loc.file}:${f.loc.line}:${f.loc.column}`)} expectation ${f.when} failed: ${f.message}`;
        return f.diff ? `${head}\n${this.colorDiff(f.diff)}` : head;
      }
      case 'invariant':
        return `${this.c.bold('invariant ' + f.violation.invariant)} broken at ${formatDuration(f.violation.timeMs)}: ${f.violation.message}`;
      case 'budget':
        return this.c.bold('budget: ') + f.message;
      case 'action':
        return `${this.c.bold(`${f.loc.file}:${f.loc.line}:${f.loc.column}`)} action failed: ${f.message}`;
    }
  }

  private colorDiff(diff: string): string {
    return diff
      .split('\n')
      .map((l) => (l.startsWith('-') ? this.c.red(l) : l.startsWith('+') ? this.c.green(l) : l.startsWith('@@') ? this.c.dim(l) : l))
      .join('\n');
  }

  onLoadErrors(errors: readonly LoadError[]): void {
    for (const e of errors) this.write(`${this.c.red('error')} ${formatLoadError(e)}\n`);
  }

  onFinished(s: Summary): void {
    const parts = [this.c.green(`${s.passed} passed`)];
    if (s.failed) parts.push(this.c.red(`${s.failed} failed`));
    if (s.invalid) parts.push(this.c.red(`${s.invalid} invalid`));
    this.write(`\n${parts.join(', ')} ${this.c.dim(`(${s.wallMs}ms)`)}\n`);
    for (const r of this.failed) this.write(this.c.dim(`replay: kubedrill run ${r.file} --grep '^${escapeRe(r.name)}$' --seed ${r.seed}\n`));
  }
}

function indent(text: string, pad: string): string {
  return text
    .split('\n')
    .map((l) => pad + l)
    .join('\n');
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
