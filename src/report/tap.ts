// TAP version 14 output: one test point per scenario, failures as YAML diagnostics.
import { stringify } from 'yaml';
import { formatDuration } from '../engine/time.js';
import type { ScenarioResult } from '../scenario/run.js';
import { type LoadError, formatLoadError } from '../scenario/types.js';
import type { Reporter, Summary, Write } from './reporter.js';

export class TapReporter implements Reporter {
  private n = 0;
  constructor(private readonly write: Write) {}

  onCollected(count: number): void {
    this.write(`TAP version 14\n1..${count}\n`);
  }

  onResult(r: ScenarioResult): void {
    this.n++;
    this.write(`${r.passed ? 'ok' : 'not ok'} ${this.n} - ${r.name}\n`);
    const diag: Record<string, unknown> = { file: r.file, line: r.loc.line, seed: r.seed, digest: r.digest, virtualTime: formatDuration(r.endMs) };
    if (!r.passed) {
      diag['failures'] = r.failures.map((f) => {
        if (f.kind === 'expectation') return { at: `${f.loc.file}:${f.loc.line}:${f.loc.column}`, when: f.when, message: f.message, ...(f.diff ? { diff: f.diff } : {}) };
        if (f.kind === 'invariant') return { invariant: f.violation.invariant, time: formatDuration(f.violation.timeMs), message: f.violation.message };
        if (f.kind === 'action') return { at: `${f.loc.file}:${f.loc.line}:${f.loc.column}`, message: f.message };
        return { budget: f.message };
      });
    }
    this.write(`  ---\n${indent(stringify(diag))}  ...\n`);
  }

  onLoadErrors(errors: readonly LoadError[]): void {
    for (const e of errors) this.write(`# error ${formatLoadError(e)}\n`);
  }

  onFinished(s: Summary): void {
    this.write(`# pass ${s.passed}\n# fail ${s.failed}\n# invalid ${s.invalid}\n`);
  }
}

function indent(yaml: string): string {
  return yaml
    .trimEnd()
    .split('\n')
    .map((l) => '  ' + l)
    .join('\n') + '\n';
}
