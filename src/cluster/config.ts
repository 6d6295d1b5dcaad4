// Control-plane settings and their defaults. Every default is upstream's (v1.35), cited.

/** Control-plane settings; every field defaults to the upstream default (DEFAULT_CONTROL_PLANE). */
export interface ControlPlaneConfig {
  // kube-controller-manager, node lifecycle (pkg/controller/nodelifecycle/config/v1alpha1/defaults.go)
  nodeMonitorPeriodMs: number;
  nodeMonitorGracePeriodMs: number;
  nodeStartupGracePeriodMs: number;
  nodeEvictionRate: number;
  secondaryNodeEvictionRate: number;
  largeClusterSizeThreshold: number;
  unhealthyZoneThreshold: number;
  // kubelet (pkg/kubelet/apis/config/v1beta1/defaults.go)
  nodeStatusUpdateFrequencyMs: number;
  nodeStatusReportFrequencyMs: number;
  nodeLeaseDurationSeconds: number;
  // kube-apiserver admission (plugin/pkg/admission/defaulttolerationseconds)
  defaultNotReadyTolerationSeconds: number;
  defaultUnreachableTolerationSeconds: number;
  // kube-scheduler (pkg/scheduler/internal/queue)
  podInitialBackoffSeconds: number;
  podMaxBackoffSeconds: number;
  podMaxInUnschedulablePodsDurationMs: number;
  // kube-apiserver --event-ttl (cmd/kube-apiserver/app/options/options.go)
  eventTTLMs: number;
  // kube-controller-manager, PersistentVolume binder (pkg/controller/volume/persistentvolume/config)
  pvClaimBinderSyncPeriodMs: number;
  // kubedrill's own model settings
  /** Delay between a watched write and its delivery to each watching component. */
  watchLatencyMs: number;
  /** Time a kubelet takes from accepting a pod to its containers running (when not annotated). */
  podStartupDelayMs: number;
  /** Time a kubelet takes from seeing a pod's deletion to confirming it (when not annotated). */
  podTerminationDelayMs: number;
  /** PodGC: pods bound to a node that no longer exists are force-deleted after this quarantine. */
  podGCOrphanQuarantineMs: number;
  /** Time the (external CSI) attacher takes to attach a volume to a node, or to detach it. */
  volumeAttachDelayMs: number;
  /** Time an external provisioner takes to create the volume of a claim it provisions. */
  volumeProvisionDelayMs: number;
}


export const DEFAULT_CONTROL_PLANE: Readonly<ControlPlaneConfig> = Object.freeze({
  // pkg/controller/nodelifecycle/config/v1alpha1/defaults.go; cmd/kube-controller-manager/app/options/nodelifecyclecontroller.go
  nodeMonitorPeriodMs: 5_000,
  // 50s since v1.32 (PR #126287; 40s before).
  nodeMonitorGracePeriodMs: 50_000,
  nodeStartupGracePeriodMs: 60_000,
  nodeEvictionRate: 0.1,
  secondaryNodeEvictionRate: 0.01,
  largeClusterSizeThreshold: 50,
  unhealthyZoneThreshold: 0.55,
  // pkg/kubelet/apis/config/v1beta1/defaults.go
  nodeStatusUpdateFrequencyMs: 10_000,
  nodeStatusReportFrequencyMs: 300_000,
  nodeLeaseDurationSeconds: 40,
  // plugin/pkg/admission/defaulttolerationseconds/admission.go
  defaultNotReadyTolerationSeconds: 300,
  defaultUnreachableTolerationSeconds: 300,
  // pkg/scheduler/apis/config/v1/defaults.go; pkg/scheduler/internal/queue/scheduling_queue.go
  podInitialBackoffSeconds: 1,
  podMaxBackoffSeconds: 10,
  podMaxInUnschedulablePodsDurationMs: 300_000,
  // cmd/kube-apiserver/app/options/options.go: EventTTL 1 * time.Hour
  eventTTLMs: 3_600_000,
  // pkg/controller/volume/persistentvolume/config/v1alpha1/defaults.go: PVClaimBinderSyncPeriod 15s
  pvClaimBinderSyncPeriodMs: 15_000,
  // kubedrill's model (not upstream settings)
  watchLatencyMs: 0,
  podStartupDelayMs: 1_000,
  // kubedrill's model: upstream's kubelet takes what its pod worker (killPod, the runtime's
  // StopContainer), volume manager (unmount) and status manager (the final delete) take, about a
  // second for containers that exit on SIGTERM; 1s, like podStartupDelay. The grace period caps it.
  podTerminationDelayMs: 1_000,
  // pkg/controller/podgc/gc_controller.go: quarantineTime = 40 * time.Second
  podGCOrphanQuarantineMs: 40_000,
  // kubedrill's model: upstream has no such setting (the CSI driver's ControllerPublishVolume takes
  // what the storage backend takes, typically seconds); 1s, like podStartupDelay, keeps attach
  // visible in a trace without dominating the node-failure timings (50s grace, 300s tolerations,
  // 6m unmount wait) it is usually seen beside.
  volumeAttachDelayMs: 1_000,
  // kubedrill's model: upstream has no such setting (the external-provisioner sidecar calls the CSI
  // driver's CreateVolume, which takes what the storage backend takes, typically seconds); 1s, like
  // volumeAttachDelay.
  volumeProvisionDelayMs: 1_000,
});
