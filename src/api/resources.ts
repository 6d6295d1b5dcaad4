// Resource lists summed as component-helpers/resource/helpers.go sums them, on API objects (the
// API layer's own: the scheduler's Resource in src/scheduler/framework/resource.ts is a lower-
// precision, allocation-free view for the hot path).
import { type Quantity, parseQuantityValue } from './quantity.js';
import type { Pod, ResourceList } from './types.js';

/**
 * AggregateContainerRequests / AggregateContainerLimits (component-helpers/resource/helpers.go):
 * the app containers and restartable (sidecar) init containers summed, raised to each init
 * container's value plus the sidecars started before it. Quantities that do not parse are left
 * out (validation rejects them upstream).
 */
export function aggregateContainerResources(spec: Pod['spec'], which: 'requests' | 'limits'): Map<string, Quantity> {
  const total = new Map<string, Quantity>();
  for (const c of spec.containers ?? []) addResourceList(total, c.resources?.[which]);
  const sidecars = new Map<string, Quantity>();
  const initMax = new Map<string, Quantity>();
  for (const c of spec.initContainers ?? []) {
    if (c.restartPolicy === 'Always') {
      addResourceList(total, c.resources?.[which]);
      addResourceList(sidecars, c.resources?.[which]);
      maxResourceList(initMax, sidecars);
    } else {
      const tmp = new Map<string, Quantity>();
      addResourceList(tmp, c.resources?.[which]);
      for (const [name, q] of sidecars) tmp.set(name, tmp.has(name) ? tmp.get(name)!.add(q) : q);
      maxResourceList(initMax, tmp);
    }
  }
  maxResourceList(total, initMax);
  return total;
}

/** addResourceList: each quantity added to the one of its name (a new name takes a copy). */
function addResourceList(into: Map<string, Quantity>, list: ResourceList | undefined): void {
  if (list === undefined) return;
  for (const [name, raw] of Object.entries(list)) {
    const parsed = parseQuantityValue(raw);
    if (!parsed.ok) continue;
    const have = into.get(name);
    into.set(name, have === undefined ? parsed.quantity : have.add(parsed.quantity));
  }
}

/** maxResourceList: each name keeps the larger quantity. */
function maxResourceList(into: Map<string, Quantity>, other: Map<string, Quantity>): void {
  for (const [name, q] of other) {
    const have = into.get(name);
    if (have === undefined || have.cmp(q) < 0) into.set(name, q);
  }
}

/** Whether a resource list names the resource (set, whatever its quantity). */
export function hasResource(list: ResourceList, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(list, name);
}
