// cluster.scheduler → the scheduler set-up: the default profile, or a KubeSchedulerConfiguration
// (kubescheduler.config.k8s.io/v1) as users write it: profiles with plugins enabled/disabled per
// extension point, weights and pluginConfig; percentageOfNodesToScore.
import type { SchedulerSetup } from '../cluster/cluster.js';
import type { ProfileConfig } from '../scheduler/profile.js';
import type { SchedulerSpec } from './types.js';

export function schedulerSetup(spec: SchedulerSpec): SchedulerSetup {
  if (spec.kind === 'default') return { profiles: [], percentageOfNodesToScore: 0 };
  const cfg = spec.config;
  const profiles = (Array.isArray(cfg['profiles']) ? cfg['profiles'] : []) as ProfileConfig[];
  const pct = typeof cfg['percentageOfNodesToScore'] === 'number' ? cfg['percentageOfNodesToScore'] : 0;
  return { profiles, percentageOfNodesToScore: pct };
}
