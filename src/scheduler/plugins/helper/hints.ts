// Helpers for the plugins' QueueingHint functions.
import type { Node, Pod } from '../../../api/types.js';

/**
 * pkg/scheduler/util/utils.go As[T]: the event's old and new objects as the expected kind; an
 * absent object stays undefined; an object of another kind is an error (the hint then queues).
 */
export function asKind<T extends Node | Pod>(kind: T['kind'], oldObj: unknown, newObj: unknown): { oldObj: T | undefined; newObj: T | undefined } | Error {
  const check = (o: unknown): T | undefined | Error => {
    if (o === undefined || o === null) return undefined;
    if (typeof o === 'object' && (o as { kind?: unknown }).kind === kind) return o as T;
    return new Error(`expected ${kind}, but got ${describe(o)}`);
  };
  const n = check(newObj);
  if (n instanceof Error) return n;
  const o = check(oldObj);
  if (o instanceof Error) return o;
  return { oldObj: o, newObj: n };
}

function describe(o: unknown): string {
  if (typeof o === 'object' && o !== null) return String((o as { kind?: unknown }).kind ?? 'object');
  return typeof o;
}

/** A node as the selector code reads it. */
export function nodeLike(node: Node): { name: string; labels: Record<string, string> } {
  return { name: node.metadata.name, labels: node.metadata.labels ?? {} };
}
