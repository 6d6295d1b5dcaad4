// Kubernetes object shapes (core/v1, apps/v1, coordination/v1, scheduling/v1, policy/v1,
// storage.k8s.io/v1, events), as kubectl would show them, restricted to the fields kubedrill models.
// Timestamps are virtual times in integer milliseconds (the simulation starts at 0).
// Objects in the store are treated as immutable: a write replaces the object.
import type { LabelSelector, NodeSelector, PreferredSchedulingTerm } from './selector.js';

export type Quantityish = string | number;
export type ResourceList = Record<string, Quantityish>;
export type TimeMs = number;

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: TimeMs;
  deletionTimestamp?: TimeMs;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
}

// ---- core/v1 Node -------------------------------------------------------------------------

export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
export interface Taint {
  key: string;
  value?: string;
  effect: TaintEffect;
  timeAdded?: TimeMs;
}

export type ConditionStatus = 'True' | 'False' | 'Unknown';
export interface NodeCondition {
  type: string;
  status: ConditionStatus;
  lastHeartbeatTime?: TimeMs;
  lastTransitionTime?: TimeMs;
  reason?: string;
  message?: string;
}

export interface ContainerImage {
  names: string[];
  sizeBytes?: number;
}

export interface Node extends KubeObject {
  kind: 'Node';
  spec: { unschedulable?: boolean; taints?: Taint[]; podCIDR?: string; podCIDRs?: string[]; providerID?: string };
  status: {
    capacity?: ResourceList;
    allocatable?: ResourceList;
    conditions?: NodeCondition[];
    images?: ContainerImage[];
    addresses?: Array<{ type: string; address: string }>;
    /** Written by the attach/detach controller (nodeStatusUpdater). */
    volumesAttached?: Array<{ name: string; devicePath: string }>;
  };
}

// ---- core/v1 Pod --------------------------------------------------------------------------

export interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: TaintEffect | '';
  tolerationSeconds?: number;
}

export interface ContainerPort {
  name?: string;
  containerPort: number;
  hostPort?: number;
  protocol?: 'TCP' | 'UDP' | 'SCTP';
  hostIP?: string;
}

export interface Container {
  name: string;
  image?: string;
  resources?: { requests?: ResourceList; limits?: ResourceList };
  ports?: ContainerPort[];
  restartPolicy?: string;
}

export interface PodAffinityTerm {
  labelSelector?: LabelSelector;
  namespaces?: string[];
  namespaceSelector?: LabelSelector;
  topologyKey: string;
  matchLabelKeys?: string[];
  mismatchLabelKeys?: string[];
}
export interface WeightedPodAffinityTerm {
  weight: number;
  podAffinityTerm: PodAffinityTerm;
}
export interface PodAffinity {
  requiredDuringSchedulingIgnoredDuringExecution?: PodAffinityTerm[];
  preferredDuringSchedulingIgnoredDuringExecution?: WeightedPodAffinityTerm[];
}

export interface Affinity {
  nodeAffinity?: {
    requiredDuringSchedulingIgnoredDuringExecution?: NodeSelector;
    preferredDuringSchedulingIgnoredDuringExecution?: PreferredSchedulingTerm[];
  };
  podAffinity?: PodAffinity;
  podAntiAffinity?: PodAffinity;
}

export interface TopologySpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway';
  labelSelector?: LabelSelector;
  minDomains?: number;
  nodeAffinityPolicy?: 'Honor' | 'Ignore';
  nodeTaintsPolicy?: 'Honor' | 'Ignore';
  matchLabelKeys?: string[];
}

export interface PodSpec {
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  affinity?: Affinity;
  tolerations?: Toleration[];
  schedulerName?: string;
  priorityClassName?: string;
  priority?: number;
  preemptionPolicy?: 'PreemptLowerPriority' | 'Never';
  containers: Container[];
  initContainers?: Container[];
  overhead?: ResourceList;
  /** Pod-level requests and limits (PodLevelResources, beta and on by default since v1.34). */
  resources?: { requests?: ResourceList; limits?: ResourceList };
  topologySpreadConstraints?: TopologySpreadConstraint[];
  schedulingGates?: Array<{ name: string }>;
  terminationGracePeriodSeconds?: number;
  restartPolicy?: 'Always' | 'OnFailure' | 'Never';
  hostNetwork?: boolean;
  volumes?: Volume[];
}

/** A pod volume (core/v1 Volume). persistentVolumeClaim and generic ephemeral volumes are
 *  modelled; other sources are kept as written. */
export interface Volume {
  name: string;
  persistentVolumeClaim?: { claimName: string; readOnly?: boolean };
  ephemeral?: EphemeralVolumeSource;
  [source: string]: unknown;
}

/** core/v1 EphemeralVolumeSource: a claim the ephemeral volume controller creates for the pod
 *  (the API requires the template; it is optional here as the Go pointer is). */
export interface EphemeralVolumeSource {
  volumeClaimTemplate?: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec: PersistentVolumeClaim['spec'] };
}

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
export interface PodCondition {
  type: string;
  status: ConditionStatus;
  lastTransitionTime?: TimeMs;
  reason?: string;
  message?: string;
}
export interface ContainerStatus {
  name: string;
  ready: boolean;
  restartCount: number;
  image?: string;
  started?: boolean;
  state?: { running?: { startedAt: TimeMs }; waiting?: { reason: string }; terminated?: { exitCode: number; reason?: string } };
}
export interface PodStatus {
  phase?: PodPhase;
  conditions?: PodCondition[];
  nominatedNodeName?: string;
  hostIP?: string;
  podIP?: string;
  startTime?: TimeMs;
  reason?: string;
  message?: string;
  containerStatuses?: ContainerStatus[];
}

export interface PodTemplateSpec {
  metadata?: Partial<ObjectMeta>;
  spec: PodSpec;
}

export interface Pod extends KubeObject {
  kind: 'Pod';
  spec: PodSpec;
  status: PodStatus;
}

// ---- apps/v1 --------------------------------------------------------------------------------

export interface ReplicaSet extends KubeObject {
  kind: 'ReplicaSet';
  spec: { replicas?: number; minReadySeconds?: number; selector: LabelSelector; template: PodTemplateSpec };
  status: {
    replicas: number;
    readyReplicas?: number;
    availableReplicas?: number;
    fullyLabeledReplicas?: number;
    observedGeneration?: number;
    /** ReplicaFailure, while creating or deleting its pods fails. */
    conditions?: ReplicaSetCondition[];
  };
}

export interface ReplicaSetCondition {
  type: 'ReplicaFailure';
  status: ConditionStatus;
  lastTransitionTime?: TimeMs;
  reason?: string;
  message?: string;
}

export interface DeploymentStrategy {
  type?: 'RollingUpdate' | 'Recreate';
  rollingUpdate?: { maxSurge?: number | string; maxUnavailable?: number | string };
}

export interface Deployment extends KubeObject {
  kind: 'Deployment';
  spec: {
    replicas?: number;
    selector: LabelSelector;
    template: PodTemplateSpec;
    strategy?: DeploymentStrategy;
    minReadySeconds?: number;
    revisionHistoryLimit?: number;
    paused?: boolean;
    /** Seconds without progress before the rollout is reported failed (default 600). */
    progressDeadlineSeconds?: number;
  };
  status: {
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    unavailableReplicas?: number;
    observedGeneration?: number;
    collisionCount?: number;
    conditions?: DeploymentCondition[];
  };
}

export interface DeploymentCondition {
  type: 'Available' | 'Progressing' | 'ReplicaFailure';
  status: ConditionStatus;
  lastUpdateTime?: TimeMs;
  lastTransitionTime?: TimeMs;
  reason?: string;
  message?: string;
}

// ---- others -------------------------------------------------------------------------------

export interface Namespace extends KubeObject {
  kind: 'Namespace';
  spec?: Record<string, never>;
  status?: { phase?: 'Active' | 'Terminating' };
}

export interface Lease extends KubeObject {
  kind: 'Lease';
  spec: { holderIdentity?: string; leaseDurationSeconds?: number; renewTime?: TimeMs; acquireTime?: TimeMs };
}

export interface ObjectReference {
  kind: string;
  namespace?: string;
  name: string;
  uid?: string;
  apiVersion?: string;
  resourceVersion?: string;
}

/**
 * A core/v1 Event. One written through events.k8s.io/v1 (the scheduler's) reads, as the API
 * server converts it, with `eventTime`, `series`, `action` and the reporting fields set, an empty
 * `source` and no `count` or timestamps (its deprecated* fields); a core/v1 recorder's has
 * `source`, `count` and the timestamps.
 */
export interface Event extends KubeObject {
  kind: 'Event';
  involvedObject: ObjectReference;
  related?: ObjectReference;
  reason: string;
  message: string;
  type: 'Normal' | 'Warning';
  source: { component?: string; host?: string };
  count?: number;
  firstTimestamp?: TimeMs;
  lastTimestamp?: TimeMs;
  eventTime?: TimeMs;
  series?: EventSeries;
  action?: string;
  reportingComponent?: string;
  reportingInstance?: string;
}

/** events.k8s.io/v1 EventSeries: an isomorphic event seen `count` times, last at lastObservedTime. */
export interface EventSeries {
  count: number;
  lastObservedTime: TimeMs;
}

export interface PriorityClass extends KubeObject {
  kind: 'PriorityClass';
  value: number;
  globalDefault?: boolean;
  preemptionPolicy?: 'PreemptLowerPriority' | 'Never';
  description?: string;
}

/** core/v1 LimitRange: per-namespace defaults and bounds for containers, pods and claims
 *  (enforced by the LimitRanger admission plugin, src/api/limitranger.ts). */
export type LimitType = 'Container' | 'Pod' | 'PersistentVolumeClaim';
export interface LimitRangeItem {
  type: LimitType;
  max?: ResourceList;
  min?: ResourceList;
  default?: ResourceList;
  defaultRequest?: ResourceList;
  maxLimitRequestRatio?: ResourceList;
}
export interface LimitRange extends KubeObject {
  kind: 'LimitRange';
  spec: { limits: LimitRangeItem[] };
}

export interface PodDisruptionBudget extends KubeObject {
  kind: 'PodDisruptionBudget';
  spec: { minAvailable?: number | string; maxUnavailable?: number | string; selector?: LabelSelector };
  status: { disruptionsAllowed?: number; currentHealthy?: number; desiredHealthy?: number; expectedPods?: number; disruptedPods?: Record<string, TimeMs> };
}

// ---- storage (core/v1 PersistentVolume, PersistentVolumeClaim; storage.k8s.io/v1) -----------

export type PersistentVolumeAccessMode = 'ReadWriteOnce' | 'ReadOnlyMany' | 'ReadWriteMany' | 'ReadWriteOncePod';

export interface PersistentVolume extends KubeObject {
  kind: 'PersistentVolume';
  spec: {
    capacity?: ResourceList;
    accessModes?: PersistentVolumeAccessMode[];
    storageClassName?: string;
    claimRef?: ObjectReference & { resourceVersion?: string };
    nodeAffinity?: { required?: NodeSelector };
    persistentVolumeReclaimPolicy?: 'Retain' | 'Delete' | 'Recycle';
    volumeMode?: 'Filesystem' | 'Block';
    mountOptions?: string[];
    /** A CSI volume: attachable; its driver is the VolumeAttachment's attacher. */
    csi?: { driver: string; volumeHandle: string; readOnly?: boolean; fsType?: string; volumeAttributes?: Record<string, string> };
    [source: string]: unknown;
  };
  status: { phase?: 'Pending' | 'Available' | 'Bound' | 'Released' | 'Failed'; message?: string; reason?: string; lastPhaseTransitionTime?: TimeMs };
}

export interface PersistentVolumeClaim extends KubeObject {
  kind: 'PersistentVolumeClaim';
  spec: {
    accessModes?: PersistentVolumeAccessMode[];
    resources?: { requests?: ResourceList; limits?: ResourceList };
    storageClassName?: string;
    volumeName?: string;
    selector?: LabelSelector;
    volumeMode?: 'Filesystem' | 'Block';
  };
  status: { phase?: 'Pending' | 'Bound' | 'Lost'; accessModes?: PersistentVolumeAccessMode[]; capacity?: ResourceList };
}

export interface StorageClass extends KubeObject {
  kind: 'StorageClass';
  provisioner: string;
  parameters?: Record<string, string>;
  reclaimPolicy?: 'Retain' | 'Delete';
  volumeBindingMode?: 'Immediate' | 'WaitForFirstConsumer';
  /** Where provisioned volumes may be (OR of terms, AND of expressions in a term). */
  allowedTopologies?: Array<{ matchLabelExpressions?: Array<{ key: string; values: string[] }> }>;
  allowVolumeExpansion?: boolean;
  mountOptions?: string[];
}

export interface VolumeAttachment extends KubeObject {
  kind: 'VolumeAttachment';
  spec: { attacher: string; nodeName: string; source: { persistentVolumeName?: string } };
  status?: { attached: boolean; attachmentMetadata?: Record<string, string>; attachError?: { time?: TimeMs; message?: string }; detachError?: { time?: TimeMs; message?: string } };
}

/** CSINode (storage.k8s.io/v1): the CSI drivers installed on a node, named as the node; written
 *  by the kubelet's node-driver-registrar upstream, by the scenario here. */
export interface CSINodeDriver {
  name: string;
  nodeID: string;
  topologyKeys?: string[];
  /** allocatable.count: how many unique volumes of the driver the node can use; unset: no limit. */
  allocatable?: { count?: number };
}

export interface CSINode extends KubeObject {
  kind: 'CSINode';
  spec: { drivers: CSINodeDriver[] };
}

export type AnyObject =
  | Node
  | Pod
  | ReplicaSet
  | Deployment
  | Namespace
  | Lease
  | Event
  | PriorityClass
  | LimitRange
  | PodDisruptionBudget
  | PersistentVolume
  | PersistentVolumeClaim
  | StorageClass
  | VolumeAttachment
  | CSINode;

/**
 * The kinds the model stores: API version, scope, and whether the registry tracks
 * metadata.generation (set to 1 on create, raised when the spec changes): Pods
 * (pkg/registry/core/pod/strategy.go), Deployments and ReplicaSets (pkg/registry/apps/...),
 * PodDisruptionBudgets (pkg/registry/policy/poddisruptionbudget/strategy.go). The others' strategies
 * (Node, Lease, PersistentVolume(Claim), the storage.k8s.io kinds...) leave it unset.
 */
export const KINDS = {
  Namespace: { apiVersion: 'v1', namespaced: false, generation: false },
  Node: { apiVersion: 'v1', namespaced: false, generation: false },
  Pod: { apiVersion: 'v1', namespaced: true, generation: true },
  Event: { apiVersion: 'v1', namespaced: true, generation: false },
  ReplicaSet: { apiVersion: 'apps/v1', namespaced: true, generation: true },
  Deployment: { apiVersion: 'apps/v1', namespaced: true, generation: true },
  Lease: { apiVersion: 'coordination.k8s.io/v1', namespaced: true, generation: false },
  PriorityClass: { apiVersion: 'scheduling.k8s.io/v1', namespaced: false, generation: false },
  LimitRange: { apiVersion: 'v1', namespaced: true, generation: false },
  PodDisruptionBudget: { apiVersion: 'policy/v1', namespaced: true, generation: true },
  PersistentVolume: { apiVersion: 'v1', namespaced: false, generation: false },
  PersistentVolumeClaim: { apiVersion: 'v1', namespaced: true, generation: false },
  StorageClass: { apiVersion: 'storage.k8s.io/v1', namespaced: false, generation: false },
  VolumeAttachment: { apiVersion: 'storage.k8s.io/v1', namespaced: false, generation: false },
  CSINode: { apiVersion: 'storage.k8s.io/v1', namespaced: false, generation: false },
} as const;
export type Kind = keyof typeof KINDS;

export function isKind(kind: string): kind is Kind {
  return Object.prototype.hasOwnProperty.call(KINDS, kind);
}

export function objectKey(kind: string, namespace: string | undefined, name: string): string {
  return namespace ? `${kind}/${namespace}/${name}` : `${kind}/${name}`;
}

export function keyOf(obj: KubeObject): string {
  return objectKey(obj.kind, obj.metadata.namespace, obj.metadata.name);
}

/** IsHugePageResourceName (pkg/apis/core/v1/helper). */
export function isHugePageResource(name: string): boolean {
  return name.startsWith('hugepages-');
}

/** IsSupportedPodLevelResource (component-helpers/resource/helpers.go): cpu, memory, hugepages-*. */
export function isSupportedPodLevelResource(name: string): boolean {
  return name === 'cpu' || name === 'memory' || isHugePageResource(name);
}

export function podIsTerminal(pod: Pod): boolean {
  return pod.status.phase === 'Succeeded' || pod.status.phase === 'Failed';
}

export function isControlledBy(obj: KubeObject, ownerUid: string): boolean {
  return (obj.metadata.ownerReferences ?? []).some((r) => r.controller === true && r.uid === ownerUid);
}

/** equality.Semantic.DeepEqual of two label maps: a nil map equals an empty one (key order
 *  does not matter). */
export function sameLabels(a: Readonly<Record<string, string>> | undefined, b: Readonly<Record<string, string>> | undefined): boolean {
  if (a === b) return true;
  const ka = Object.keys(a ?? {});
  if (ka.length !== Object.keys(b ?? {}).length) return false;
  for (const k of ka) if (!Object.prototype.hasOwnProperty.call(b, k) || a![k] !== b![k]) return false;
  return true;
}

/** reflect.DeepEqual of two controller references (the same object, most often). */
export function sameControllerRef(a: OwnerReference | undefined, b: OwnerReference | undefined): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

export function controllerRef(obj: KubeObject): OwnerReference | undefined {
  return (obj.metadata.ownerReferences ?? []).find((r) => r.controller === true);
}

export function getCondition<C extends { type: string }>(conds: readonly C[] | undefined, type: string): C | undefined {
  return conds?.find((c) => c.type === type);
}

/** Sets a condition; lastTransitionTime moves only when the status changes (podutil.UpdatePodCondition). */
export function setCondition(conds: readonly PodCondition[] | undefined, cond: PodCondition, nowMs: number): PodCondition[] {
  const list = [...(conds ?? [])];
  const i = list.findIndex((c) => c.type === cond.type);
  if (i < 0) return [...list, { ...cond, lastTransitionTime: nowMs }];
  const prev = list[i]!;
  list[i] = { ...cond, lastTransitionTime: prev.status === cond.status ? prev.lastTransitionTime ?? nowMs : nowMs };
  return list;
}

