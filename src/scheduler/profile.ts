// Scheduling profiles: the default plugin set and the expansion of a profile's MultiPoint and
// per-extension-point plugin sets into one Framework.
// Follows pkg/scheduler/apis/config/v1/default_plugins.go (getDefaultPlugins, mergePlugins) and
// pkg/scheduler/framework/runtime/framework.go (expandMultiPointPlugins), v1.35.
import { EXTENSION_METHOD, EXTENSION_POINTS, type ExpandedProfile, type ExtensionPoint, Framework } from './framework/runtime.js';
import type { AnyPlugin, Handle, PluginFactory } from './framework/types.js';

export interface PluginRef {
  name: string;
  weight?: number;
}
export interface PluginSet {
  enabled?: PluginRef[];
  disabled?: PluginRef[];
}
export type Plugins = Partial<Record<ExtensionPoint | 'multiPoint', PluginSet>>;
export interface PluginConfig {
  name: string;
  args?: Record<string, unknown>;
}

/** One entry of KubeSchedulerConfiguration.profiles, as users write it. */
export interface ProfileConfig {
  schedulerName?: string;
  percentageOfNodesToScore?: number;
  plugins?: Plugins;
  pluginConfig?: PluginConfig[];
}

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

/**
 * The v1.35 default MultiPoint set with its score weights. Plugins kubedrill does not model
 * (DynamicResources, behind its gate) are left out; the README lists them.
 */
export function defaultMultiPoint(registry: ReadonlyMap<string, PluginFactory>): PluginRef[] {
  const all: PluginRef[] = [
    { name: 'SchedulingGates' },
    { name: 'PrioritySort' },
    { name: 'NodeUnschedulable' },
    { name: 'NodeName' },
    { name: 'TaintToleration', weight: 3 },
    { name: 'NodeAffinity', weight: 2 },
    { name: 'NodePorts' },
    { name: 'NodeResourcesFit', weight: 1 },
    { name: 'VolumeRestrictions' },
    { name: 'NodeVolumeLimits' },
    { name: 'VolumeBinding' },
    { name: 'VolumeZone' },
    { name: 'PodTopologySpread', weight: 2 },
    { name: 'InterPodAffinity', weight: 2 },
    { name: 'DefaultPreemption' },
    { name: 'NodeResourcesBalancedAllocation', weight: 1 },
    { name: 'ImageLocality', weight: 1 },
    { name: 'DefaultBinder' },
  ];
  return all.filter((p) => registry.has(p.name));
}

/** mergePluginSet (v1 defaults): the default set minus what the user disabled ("*" = all), with
 *  the user's enabled plugins replacing same-named defaults in place or appended. */
export function mergePluginSet(defaults: PluginSet, custom: PluginSet | undefined): PluginSet {
  if (!custom) return defaults;
  const disabled = new Set((custom.disabled ?? []).map((p) => p.name));
  const customEnabled = new Map((custom.enabled ?? []).map((p) => [p.name, p]));
  const enabled: PluginRef[] = [];
  if (!disabled.has('*')) {
    for (const p of defaults.enabled ?? []) {
      if (disabled.has(p.name)) continue;
      const replacement = customEnabled.get(p.name);
      enabled.push(replacement ?? p);
      customEnabled.delete(p.name);
    }
  }
  for (const p of custom.enabled ?? []) if (customEnabled.has(p.name)) enabled.push(p);
  return { enabled, disabled: custom.disabled ?? [] };
}

export function mergePlugins(defaults: Plugins, custom: Plugins | undefined): Plugins {
  const out: Plugins = {};
  for (const point of ['multiPoint', ...EXTENSION_POINTS] as const) {
    const merged = mergePluginSet(defaults[point] ?? {}, custom?.[point]);
    if ((merged.enabled?.length ?? 0) > 0 || (merged.disabled?.length ?? 0) > 0) out[point] = merged;
  }
  return out;
}

export class ProfileError extends Error {}

/**
 * NewFramework + expandMultiPointPlugins (pkg/scheduler/framework/runtime/framework.go): at each
 * extension point, the plugins enabled both there and in MultiPoint (explicit overrides, in the
 * point's order), then MultiPoint plugins that implement the point and are not disabled there,
 * then the point's other plugins. A score weight comes from the score point if given, else
 * MultiPoint; 0 means 1 (getScoreWeights).
 */
export function buildFramework(profile: ProfileConfig, registry: ReadonlyMap<string, PluginFactory>, handle: Handle): Framework {
  const plugins = mergePlugins({ multiPoint: { enabled: defaultMultiPoint(registry) } }, profile.plugins);
  const args = new Map((profile.pluginConfig ?? []).map((c) => [c.name, c.args]));
  const instances = new Map<string, AnyPlugin>();
  const instance = (name: string): AnyPlugin => {
    let p = instances.get(name);
    if (p === undefined) {
      const factory = registry.get(name);
      if (!factory) throw new ProfileError(`plugin "${name}" does not exist`);
      p = factory(args.get(name), handle);
      instances.set(name, p);
    }
    return p;
  };
  const weights = new Map<string, number>();
  const points = {} as Record<ExtensionPoint, string[]>;
  const multi = plugins.multiPoint?.enabled ?? [];
  for (const point of EXTENSION_POINTS) {
    const set = plugins[point] ?? {};
    const disabled = new Set((set.disabled ?? []).map((p) => p.name));
    const list: string[] = [];
    for (const ref of set.enabled ?? []) {
      const p = instance(ref.name);
      if (typeof p[EXTENSION_METHOD[point]] !== 'function') throw new ProfileError(`plugin "${ref.name}" does not extend ${point} plugin`);
      if (list.includes(ref.name)) throw new ProfileError(`plugin "${ref.name}" already registered as "${point}"`);
      list.push(ref.name);
      if (point === 'score') weights.set(ref.name, ref.weight || 1);
    }
    // expandMultiPointPlugins (pkg/scheduler/framework/runtime/framework.go): a plugin both in
    // MultiPoint and at this point is an explicit override; the order is overrides (as listed at
    // the point), then MultiPoint-only plugins, then the point's other plugins.
    const overrides = new Set<string>();
    const fromMulti: string[] = [];
    for (const ref of disabled.has('*') ? [] : multi) {
      if (disabled.has(ref.name)) continue;
      const p = instance(ref.name);
      if (typeof p[EXTENSION_METHOD[point]] !== 'function') continue;
      if (list.includes(ref.name)) {
        overrides.add(ref.name);
        continue;
      }
      if (fromMulti.includes(ref.name)) throw new ProfileError(`plugin "${ref.name}" already registered as "${point}"`);
      fromMulti.push(ref.name);
      if (point === 'score' && !weights.has(ref.name)) weights.set(ref.name, ref.weight || 1);
    }
    points[point] = [...list.filter((n) => overrides.has(n)), ...fromMulti, ...list.filter((n) => !overrides.has(n))];
  }
  const expanded: ExpandedProfile = {
    schedulerName: profile.schedulerName ?? DEFAULT_SCHEDULER_NAME,
    percentageOfNodesToScore: profile.percentageOfNodesToScore,
    plugins: instances,
    points,
    weights,
  };
  return new Framework(expanded);
}
