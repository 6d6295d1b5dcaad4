// The in-tree plugin registry (pkg/scheduler/framework/plugins/registry.go): name → factory.
import type { PluginFactory } from '../framework/types.js';
import { newDefaultBinder } from './default_binder.js';
import { newDefaultPreemption } from './default_preemption.js';
import { newImageLocality } from './image_locality.js';
import { newInterPodAffinity } from './inter_pod_affinity.js';
import * as names from './names.js';
import { newNodeAffinity } from './node_affinity.js';
import { newNodeName } from './node_name.js';
import { newNodePorts } from './node_ports.js';
import { newNodeResourcesBalancedAllocation } from './node_resources_balanced_allocation.js';
import { newNodeResourcesFit } from './node_resources_fit.js';
import { newNodeUnschedulable } from './node_unschedulable.js';
import { newNodeVolumeLimits } from './node_volume_limits.js';
import { newPodTopologySpread } from './pod_topology_spread.js';
import { newPrioritySort } from './priority_sort.js';
import { newSchedulingGates } from './scheduling_gates.js';
import { newTaintToleration } from './taint_toleration.js';
import { newVolumeBinding } from './volume_binding.js';
import { newVolumeRestrictions } from './volume_restrictions.js';
import { newVolumeZone } from './volume_zone.js';

export function inTreeRegistry(): Map<string, PluginFactory> {
  return new Map<string, PluginFactory>([
    [names.SchedulingGates, newSchedulingGates],
    [names.PrioritySort, newPrioritySort],
    [names.NodeUnschedulable, newNodeUnschedulable],
    [names.NodeName, newNodeName],
    [names.TaintToleration, newTaintToleration],
    [names.NodeAffinity, newNodeAffinity],
    [names.NodePorts, newNodePorts],
    [names.NodeResourcesFit, newNodeResourcesFit],
    [names.VolumeRestrictions, newVolumeRestrictions],
    [names.NodeVolumeLimits, newNodeVolumeLimits],
    [names.VolumeBinding, newVolumeBinding],
    [names.VolumeZone, newVolumeZone],
    [names.NodeResourcesBalancedAllocation, newNodeResourcesBalancedAllocation],
    [names.PodTopologySpread, newPodTopologySpread],
    [names.InterPodAffinity, newInterPodAffinity],
    [names.DefaultPreemption, newDefaultPreemption],
    [names.ImageLocality, newImageLocality],
    [names.DefaultBinder, newDefaultBinder],
  ]);
}
