// Fixtures for the storage tests: a whole Cluster (kubelets and controllers), and builders for
// PersistentVolumes, claims, classes and pods that use claims.
import type { AnyObject, Node, PersistentVolume, PersistentVolumeAccessMode, PersistentVolumeClaim, Pod, StorageClass } from '../../src/api/types.js';
import { Cluster } from '../../src/cluster/cluster.js';
import { DEFAULT_CONTROL_PLANE } from '../../src/cluster/config.js';
import type { Invariant } from '../../src/cluster/invariants.js';

export function storageCluster(o: { invariants?: readonly Invariant[]; multiAttachCheck?: boolean; nodes?: string[] } = {}): Cluster {
  const c = new Cluster({
    seed: 1,
    controlPlane: DEFAULT_CONTROL_PLANE,
    scheduler: { profiles: [], percentageOfNodesToScore: 0 },
    invariants: o.invariants ?? [],
    keepTrace: true,
    ...(o.multiAttachCheck === false ? { attachDetach: { multiAttachCheck: false } } : {}),
  });
  for (const name of o.nodes ?? []) must(c.addNode(node(name)));
  return c;
}

export function node(name: string): Node {
  const capacity = { cpu: '4', memory: '16Gi', pods: '110' };
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name } }, spec: {}, status: { capacity, allocatable: capacity } };
}

export function must<T>(r: { ok: true; object: T } | { ok: false; message: string }): T {
  if (!r.ok) throw new Error(r.message);
  return r.object;
}

export function run(c: Cluster, untilMs: number): void {
  const outcome = c.run({ untilMs, maxSteps: 1e6 });
  if (outcome.kind !== 'completed') throw new Error(`run ended: ${JSON.stringify(outcome)}`);
}

export interface VolumeOptions {
  modes?: PersistentVolumeAccessMode[];
  className?: string;
  claimRef?: PersistentVolume['spec']['claimRef'];
  csi?: boolean;
}

export function pv(name: string, size: string, o: VolumeOptions = {}): PersistentVolume {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name },
    spec: {
      capacity: { storage: size },
      accessModes: o.modes ?? ['ReadWriteOnce'],
      ...(o.className !== undefined ? { storageClassName: o.className } : {}),
      ...(o.claimRef ? { claimRef: o.claimRef } : {}),
      ...(o.csi === false ? { hostPath: { path: `/mnt/${name}` } } : { csi: { driver: 'ebs.csi.aws.com', volumeHandle: `vol-${name}` } }),
    },
    status: {},
  };
}

export function pvc(name: string, size: string, o: { modes?: PersistentVolumeAccessMode[]; className?: string | null; volumeName?: string } = {}): PersistentVolumeClaim {
  const className = o.className === undefined ? '' : o.className;
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: 'default' },
    spec: {
      accessModes: o.modes ?? ['ReadWriteOnce'],
      resources: { requests: { storage: size } },
      ...(className !== null ? { storageClassName: className } : {}),
      ...(o.volumeName ? { volumeName: o.volumeName } : {}),
    },
    status: {},
  };
}

export function storageClass(name: string, o: { mode?: StorageClass['volumeBindingMode']; isDefault?: boolean } = {}): StorageClass {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name, ...(o.isDefault ? { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } : {}) },
    provisioner: 'ebs.csi.aws.com',
    ...(o.mode ? { volumeBindingMode: o.mode } : {}),
  };
}

/** A pod pinned to a node (spec.nodeName, as a user may write it) that mounts the claim. */
export function podWithClaim(name: string, nodeName: string, claimName: string, namespace = 'default'): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace },
    spec: {
      nodeName,
      containers: [{ name: 'app', image: 'app:1', resources: { requests: { cpu: '100m', memory: '64Mi' } } }],
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }],
    },
    status: {},
  };
}

export function get<T extends AnyObject>(c: Cluster, kind: T['kind'], name: string, namespace?: string): T {
  const o = c.store.get<T>(kind, namespace, name);
  if (!o) throw new Error(`${kind} ${name} not found`);
  return o;
}
