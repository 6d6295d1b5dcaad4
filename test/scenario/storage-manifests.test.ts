// The storage kinds and pod claim volumes in scenario files: the schema accepts Kubernetes
// shapes and rejects unknown fields and wrong values, with located errors.
import t from 'tap';
import { loadText } from '../../src/scenario/load.js';

const FILE = '/tmp/storage.yaml';

function messages(objects: string): string[] {
  return loadText(`name: s\ncluster:\n  objects:\n${objects}`, FILE).errors.map((e) => e.message);
}

const PV = `    - apiVersion: v1
      kind: PersistentVolume
      metadata: {name: pv1}
      spec: {capacity: {storage: 10Gi}, accessModes: [ReadWriteOnce], storageClassName: fast, persistentVolumeReclaimPolicy: Retain,
             claimRef: {namespace: default, name: data}, csi: {driver: ebs.csi.aws.com, volumeHandle: vol-1},
             nodeAffinity: {required: {nodeSelectorTerms: [{matchExpressions: [{key: topology.kubernetes.io/zone, operator: In, values: [a]}]}]}}}
`;
const PVC = `    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata: {name: data}
      spec: {accessModes: [ReadWriteOncePod], storageClassName: fast, volumeName: pv1, resources: {requests: {storage: 1Gi}}, selector: {matchLabels: {tier: db}}}
`;
const SC = `    - apiVersion: storage.k8s.io/v1
      kind: StorageClass
      metadata: {name: fast}
      provisioner: ebs.csi.aws.com
      volumeBindingMode: WaitForFirstConsumer
`;
const VA = `    - apiVersion: storage.k8s.io/v1
      kind: VolumeAttachment
      metadata: {name: va1}
      spec: {attacher: ebs.csi.aws.com, nodeName: n1, source: {persistentVolumeName: pv1}}
      status: {attached: true}
`;
const CSI_NODE = `    - apiVersion: storage.k8s.io/v1
      kind: CSINode
      metadata: {name: n1}
      spec: {drivers: [{name: ebs.csi.aws.com, nodeID: i-1, topologyKeys: [topology.ebs.csi.aws.com/zone], allocatable: {count: 25}}]}
`;
const POD = (volume: string) => `    - apiVersion: v1
      kind: Pod
      metadata: {name: p}
      spec:
        containers: [{name: c, image: app}]
        volumes: [${volume}]
`;

t.test('Kubernetes shapes load', async (t) => {
  t.same(messages(PV + PVC + SC + VA + CSI_NODE + POD('{name: data, persistentVolumeClaim: {claimName: data, readOnly: true}}') + POD('{name: scratch, emptyDir: {}}').replace('name: p}', 'name: q}')), []);
});

t.test('unknown fields and wrong values are errors', async (t) => {
  t.match(messages(PVC.replace('storageClassName: fast', 'storageClass: fast')), [/unknown field "storageClass"/]);
  t.match(messages(PV.replace('accessModes: [ReadWriteOnce]', 'accessModes: [RWO]')), [/must be one of/]);
  t.match(messages(SC.replace('WaitForFirstConsumer', 'Lazy')), [/must be one of/]);
  t.match(messages(POD('{name: data, persistentVolumeClaim: {claim: data}}')), [/unknown field "claim"|missing required field "claimName"/]);
  t.match(messages(POD('{name: data, persistentVolumeClam: {claimName: data}}')), [/unknown field "persistentVolumeClam"/], 'a misspelt volume source');
  t.match(messages(VA.replace('nodeName: n1', 'node: n1')), [/unknown field "node"|missing required field "nodeName"/]);
  t.match(messages(PV.replace('volumeHandle: vol-1', 'handle: vol-1')), [/unknown field "handle"|missing required field "volumeHandle"/]);
  t.match(messages(CSI_NODE.replace('allocatable: {count: 25}', 'allocatable: {limit: 25}')), [/unknown field "limit"/], 'a misspelt allocatable field');
  t.match(messages(CSI_NODE.replace('nodeID: i-1', 'nodeId: i-1')), [/unknown field "nodeId"|missing required field "nodeID"/]);
  t.match(messages(CSI_NODE.replace('count: 25', 'count: -1')), [/must be greater than or equal to 0/]);
  t.match(messages(CSI_NODE.replace('spec: {drivers', 'spec: {driver')), [/unknown field "driver"|missing required field "drivers"/]);
});
