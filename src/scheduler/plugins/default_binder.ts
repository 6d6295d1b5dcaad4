// DefaultBinder: binds the pod through the API (the pods/binding subresource).
// Follows pkg/scheduler/framework/plugins/defaultbinder/default_binder.go (v1.35).
import { asError, type MaybeStatus } from '../framework/status.js';
import type { AnyPlugin, CycleState, Handle, PodInfo } from '../framework/types.js';
import * as names from './names.js';

export const NAME = names.DefaultBinder;

export class DefaultBinder implements AnyPlugin {
  readonly name = NAME;
  constructor(private readonly handle: Handle) {}

  bind(_state: CycleState, pod: PodInfo, nodeName: string): MaybeStatus {
    const err = this.handle.bind(pod.pod, nodeName);
    return err === null ? null : asError(err);
  }
}

export const newDefaultBinder = (_args: unknown, handle: Handle): AnyPlugin => new DefaultBinder(handle);
