// Plugin results, after staging/src/k8s.io/kube-scheduler/framework/interface.go: a Status
// carries a Code and reasons; `null` stands for Success, as a nil *Status does upstream, so the
// hot path allocates nothing when a node passes.

export enum Code {
  Success = 0,
  Error = 1,
  Unschedulable = 2,
  UnschedulableAndUnresolvable = 3,
  Wait = 4,
  Skip = 5,
  Pending = 6,
}

export const CODE_NAMES: Record<Code, string> = {
  [Code.Success]: 'Success',
  [Code.Error]: 'Error',
  [Code.Unschedulable]: 'Unschedulable',
  [Code.UnschedulableAndUnresolvable]: 'UnschedulableAndUnresolvable',
  [Code.Wait]: 'Wait',
  [Code.Skip]: 'Skip',
  [Code.Pending]: 'Pending',
};

export class Status {
  /** The plugin that returned it; set by the framework. */
  plugin = '';
  readonly reasons: readonly string[];
  constructor(
    readonly code: Code,
    ...reasons: string[]
  ) {
    this.reasons = reasons;
  }

  withPlugin(plugin: string): Status {
    if (this.plugin === plugin) return this;
    const s = new Status(this.code, ...this.reasons);
    s.plugin = plugin;
    return s;
  }

  message(): string {
    return this.reasons.join(', ');
  }

  /** Unschedulable or UnschedulableAndUnresolvable (upstream IsRejected). */
  isRejected(): boolean {
    return this.code === Code.Unschedulable || this.code === Code.UnschedulableAndUnresolvable || this.code === Code.Pending;
  }

  toString(): string {
    return `${CODE_NAMES[this.code]}${this.reasons.length ? ': ' + this.message() : ''}`;
  }
}

export type MaybeStatus = Status | null;

export const SKIP = new Status(Code.Skip);

export function isSuccess(s: MaybeStatus): boolean {
  return s === null || s.code === Code.Success;
}

export function unschedulable(...reasons: string[]): Status {
  return new Status(Code.Unschedulable, ...reasons);
}

export function unresolvable(...reasons: string[]): Status {
  return new Status(Code.UnschedulableAndUnresolvable, ...reasons);
}

export function asError(message: string): Status {
  return new Status(Code.Error, message);
}
