// Helpers for the plugins' QueueingHint functions.
import type { Node } from '../../../api/types.js';

/**
 * pkg/scheduler/util/utils.go As[T]: the event's old and new objects as the expected kind; an
 * absent object stays undefined; an object of another kind is an error (the hint then queues),
 * the new object checked first. `fn`, the hint's name, prefixes the error as upstream's hints do.
 */
export function asKind<T extends { kind: string }>(kind: T['kind'], oldObj: unknown, newObj: unknown, fn?: string): { oldObj: T | undefined; newObj: T | undefined } | Error {
  const check = (o: unknown): T | undefined | Error => {
    if (o === undefined || o === null) return undefined;
    if (typeof o === 'object' && (o as { kind?: unknown }).kind === kind) return o as T;
    const message = `expected ${kind}, but got ${describe(o)}`;
    return new Error(fn === undefined ? message : `unexpected objects in ${fn}: ${message}`);
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
