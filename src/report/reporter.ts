// Reporters are passive: they receive the collected scenarios, each result as it finishes, and
// the summary; they never touch the cluster (vitest's Reporter shape).
import type { ScenarioResult } from '../scenario/run.js';
import type { LoadError } from '../scenario/types.js';

export interface Summary {
  passed: number;
  failed: number;
  invalid: number;
  wallMs: number;
}

export interface Reporter {
  onCollected(count: number): void;
  onResult(result: ScenarioResult, wallMs: number): void;
  onLoadErrors(errors: readonly LoadError[]): void;
  onFinished(summary: Summary): void;
}

export type Write = (text: string) => void;
