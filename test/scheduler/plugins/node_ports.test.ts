// node_ports_test.go Test_isSchedulableAfterPodDeleted (5 rows, all) is transcribed at the end.
import t from 'tap';
import type { ContainerPort, Pod } from '../../../src/api/types.js';
import { Code } from '../../../src/scheduler/framework/status.js';
import { CycleState, type HostPort, NodeInfo, PodInfo } from '../../../src/scheduler/framework/types.js';
import { ERR_REASON, NodePorts, checkConflict, fits, getHostPorts, isSchedulableAfterPodDeleted, newNodePorts } from '../../../src/scheduler/plugins/node_ports.js';
import { makeNode, makePod, nodeInfo, registrations } from '../fixtures.js';

let seq = 0;
/** newPod(host, "PROTO/IP/PORT"...): one container with those host ports, as node_ports_test.go builds it. */
function newPod(host: string, ...hostPortInfos: string[]): Pod {
  const ports: ContainerPort[] = hostPortInfos.map((info) => {
    const [protocol, hostIP, port] = info.split('/');
    return { containerPort: 0, hostIP: hostIP!, hostPort: Number(port), protocol: protocol as ContainerPort['protocol'] };
  });
  return makePod(`p${seq++}`, { nodeName: host, containers: [{ name: 'c', ports }] });
}

/** st.MakePod().InitContainerPort(sidecar, ports): one init container, restartPolicy Always when a sidecar. */
function initContainerPod(sidecar: boolean, ports: ContainerPort[]): Pod {
  return makePod(`p${seq++}`, { initContainers: [{ name: 'init', ports, ...(sidecar ? { restartPolicy: 'Always' } : {}) }] });
}

/** framework.NewNodeInfo(pods...): no Node object upstream; a bare node named m1 here. */
const newNodeInfo = (...pods: Pod[]): NodeInfo => nodeInfo(makeNode('m1'), ...pods);

// pkg/scheduler/framework/plugins/nodeports/node_ports_test.go TestNodePorts.
const nodePortsRows: Array<{ name: string; pod: Pod; nodeInfo: NodeInfo; wantPreFilterSkip?: boolean; wantFilterFail?: boolean }> = [
  { name: 'skip filter', pod: makePod(`p${seq++}`), nodeInfo: newNodeInfo(), wantPreFilterSkip: true },
  { name: 'other port', pod: newPod('m1', 'UDP/127.0.0.1/8080'), nodeInfo: newNodeInfo(newPod('m1', 'UDP/127.0.0.1/9090')) },
  { name: 'same udp port', pod: newPod('m1', 'UDP/127.0.0.1/8080'), nodeInfo: newNodeInfo(newPod('m1', 'UDP/127.0.0.1/8080')), wantFilterFail: true },
  { name: 'same tcp port', pod: newPod('m1', 'TCP/127.0.0.1/8080'), nodeInfo: newNodeInfo(newPod('m1', 'TCP/127.0.0.1/8080')), wantFilterFail: true },
  { name: 'different host ip', pod: newPod('m1', 'TCP/127.0.0.1/8080'), nodeInfo: newNodeInfo(newPod('m1', 'TCP/127.0.0.2/8080')) },
  { name: 'different protocol', pod: newPod('m1', 'UDP/127.0.0.1/8080'), nodeInfo: newNodeInfo(newPod('m1', 'TCP/127.0.0.1/8080')) },
  {
    name: 'second udp port conflict',
    pod: newPod('m1', 'UDP/127.0.0.1/8000', 'UDP/127.0.0.1/8080'),
    nodeInfo: newNodeInfo(newPod('m1', 'UDP/127.0.0.1/8080')),
    wantFilterFail: true,
  },
  {
    name: 'first tcp port conflict',
    pod: newPod('m1', 'TCP/127.0.0.1/8001', 'UDP/127.0.0.1/8080'),
    nodeInfo: newNodeInfo(newPod('m1', 'TCP/127.0.0.1/8001', 'UDP/127.0.0.1/8081')),
    wantFilterFail: true,
  },
  {
    name: 'first tcp port conflict due to 0.0.0.0 hostIP',
    pod: newPod('m1', 'TCP/0.0.0.0/8001'),
    nodeInfo: newNodeInfo(newPod('m1', 'TCP/127.0.0.1/8001')),
    wantFilterFail: true,
  },
  {
    name: 'TCP hostPort conflict due to 0.0.0.0 hostIP',
    pod: newPod('m1', 'TCP/10.0.10.10/8001', 'TCP/0.0.0.0/8001'),
    nodeInfo: newNodeInfo(newPod('m1', 'TCP/127.0.0.1/8001')),
    wantFilterFail: true,
  },
  {
    name: 'second tcp port conflict to 0.0.0.0 hostIP',
    pod: newPod('m1', 'TCP/127.0.0.1/8001'),
    nodeInfo: newNodeInfo(newPod('m1', 'TCP/0.0.0.0/8001')),
    wantFilterFail: true,
  },
  { name: 'second different protocol', pod: newPod('m1', 'UDP/127.0.0.1/8001'), nodeInfo: newNodeInfo(newPod('m1', 'TCP/0.0.0.0/8001')) },
  {
    name: 'UDP hostPort conflict due to 0.0.0.0 hostIP',
    pod: newPod('m1', 'UDP/127.0.0.1/8001'),
    nodeInfo: newNodeInfo(newPod('m1', 'TCP/0.0.0.0/8001', 'UDP/0.0.0.0/8001')),
    wantFilterFail: true,
  },
  {
    name: 'non-sidecar initContainer using hostPort',
    pod: initContainerPod(false, [{ containerPort: 8001, hostPort: 8001, protocol: 'TCP' }]),
    nodeInfo: newNodeInfo(newPod('m1', 'TCP/0.0.0.0/8001')),
    wantPreFilterSkip: true,
  },
  {
    name: 'TCP hostPort conflict from sidecar initContainer',
    pod: initContainerPod(true, [{ containerPort: 8001, hostPort: 8001, protocol: 'TCP' }]),
    nodeInfo: newNodeInfo(newPod('m1', 'TCP/0.0.0.0/8001')),
    wantFilterFail: true,
  },
];

t.test('TestNodePorts', async (t) => {
  for (const row of nodePortsRows) {
    t.test(row.name, async (t) => {
      const p = newNodePorts();
      const state = new CycleState();
      const info = PodInfo.of(row.pod);
      const { result, status: preFilterStatus } = p.preFilter!(state, info, [row.nodeInfo]);
      t.equal(result, undefined, 'PreFilter returns no node set');
      if (row.wantPreFilterSkip) {
        t.equal(preFilterStatus?.code, Code.Skip, 'PreFilter skips');
        return;
      }
      t.equal(preFilterStatus, null, 'PreFilter succeeds');
      const got = p.filter!(state, info, row.nodeInfo);
      if (row.wantFilterFail) {
        t.equal(got?.code, Code.Unschedulable);
        t.same(got?.reasons, [ERR_REASON]);
      } else {
        t.equal(got, null);
      }
      // Fits (no CycleState) agrees with Filter.
      t.equal(fits(info, row.nodeInfo), !row.wantFilterFail, 'Fits');
    });
  }
});

// pkg/scheduler/framework/plugins/nodeports/node_ports_test.go TestPreFilterDisabled.
t.test('TestPreFilterDisabled', async (t) => {
  const pod = makePod(`p${seq++}`);
  const got = new NodePorts().filter(new CycleState(), PodInfo.of(pod), nodeInfo(makeNode('')));
  t.equal(got?.code, Code.Error);
  t.same(got?.reasons, ['reading "PreFilterNodePorts" from cycleState: not found']);
});

// Not transcribed from node_ports_test.go:
//   - Test_isSchedulableAfterPodDeleted: queueing hint functions are not modelled (the queue uses
//     the registered events only);
//   - TestGetContainerPorts (older releases only): getContainerPorts is gone in v1.35.

type Param = [protocol: string, ip: string, port: number];

/** HostPortInfo.Add into the list form NodeInfo keeps: port <= 0 ignored, ip/protocol defaulted, set semantics. */
function hostPortInfo(added: readonly Param[]): HostPort[] {
  const out: HostPort[] = [];
  for (const [protocol, ip, port] of added) {
    if (port <= 0) continue;
    const hp = { hostIP: ip || '0.0.0.0', protocol: protocol || 'TCP', port };
    if (!out.some((u) => u.hostIP === hp.hostIP && u.protocol === hp.protocol && u.port === hp.port)) out.push(hp);
  }
  return out;
}

// pkg/scheduler/framework/types_test.go TestHostPortInfo_Check.
const checkRows: Array<{ desc: string; added: Param[]; check: Param; expect: boolean }> = [
  { desc: 'empty check should check 0.0.0.0 and TCP', added: [['TCP', '127.0.0.1', 80]], check: ['', '', 81], expect: false },
  { desc: 'empty check should check 0.0.0.0 and TCP (conflicted)', added: [['TCP', '127.0.0.1', 80]], check: ['', '', 80], expect: true },
  { desc: 'empty port check should pass', added: [['TCP', '127.0.0.1', 80]], check: ['', '', 0], expect: false },
  { desc: '0.0.0.0 should check all registered IPs', added: [['TCP', '127.0.0.1', 80]], check: ['TCP', '0.0.0.0', 80], expect: true },
  { desc: '0.0.0.0 with different protocol should be allowed', added: [['UDP', '127.0.0.1', 80]], check: ['TCP', '0.0.0.0', 80], expect: false },
  {
    desc: '0.0.0.0 with different port should be allowed',
    added: [
      ['TCP', '127.0.0.1', 79],
      ['TCP', '127.0.0.1', 81],
      ['TCP', '127.0.0.1', 82],
    ],
    check: ['TCP', '0.0.0.0', 80],
    expect: false,
  },
  { desc: 'normal ip should check all registered 0.0.0.0', added: [['TCP', '0.0.0.0', 80]], check: ['TCP', '127.0.0.1', 80], expect: true },
  {
    desc: 'normal ip with different port/protocol should be allowed (0.0.0.0)',
    added: [
      ['TCP', '0.0.0.0', 79],
      ['UDP', '0.0.0.0', 80],
      ['TCP', '0.0.0.0', 81],
      ['TCP', '0.0.0.0', 82],
    ],
    check: ['TCP', '127.0.0.1', 80],
    expect: false,
  },
  {
    desc: 'normal ip with different port/protocol should be allowed',
    added: [
      ['TCP', '127.0.0.1', 79],
      ['UDP', '127.0.0.1', 80],
      ['TCP', '127.0.0.1', 81],
      ['TCP', '127.0.0.1', 82],
    ],
    check: ['TCP', '127.0.0.1', 80],
    expect: false,
  },
];

t.test('TestHostPortInfo_Check', async (t) => {
  for (const row of checkRows) {
    t.test(row.desc, async (t) => {
      const [protocol, ip, port] = row.check;
      t.equal(checkConflict(hostPortInfo(row.added), ip, protocol, port), row.expect);
    });
  }
});

// Not transcribed from types_test.go: TestHostPortInfo_AddRemove checks HostPortInfo's own
// Add/Remove/Len bookkeeping; here the used ports are NodeInfo.usedPorts, kept by NodeInfo
// (src/scheduler/framework/types.ts) as pods come and go, with no Add/Remove-by-tuple API.

// Not upstream: GetHostPorts order and defaults (pkg/scheduler/util/utils.go), sidecar ports first.
t.test('getHostPorts: sidecar init containers first, hostPort 0 dropped, defaults applied', async (t) => {
  const pod = makePod('gh', {
    initContainers: [
      { name: 'sidecar', restartPolicy: 'Always', ports: [{ containerPort: 1, hostPort: 9000 }] },
      { name: 'init', ports: [{ containerPort: 2, hostPort: 9001 }] },
    ],
    containers: [{ name: 'c', ports: [{ containerPort: 3 }, { containerPort: 4, hostPort: 9002, protocol: 'UDP', hostIP: '10.0.0.1' }] }],
  });
  t.same(getHostPorts(pod), [
    { hostIP: '0.0.0.0', protocol: 'TCP', port: 9000 },
    { hostIP: '10.0.0.1', protocol: 'UDP', port: 9002 },
  ]);
  t.same(getHostPorts(makePod('none')), []);
});

t.test('eventsToRegister (queueing hints on)', async (t) => {
  t.strictSame(registrations(new NodePorts().eventsToRegister()), [
    { resource: 'Pod', actions: ['Delete'], hint: true },
    { resource: 'Node', actions: ['Add'], hint: false },
  ]);
});

t.test('node_ports_test.go Test_isSchedulableAfterPodDeleted', async (t) => {
  // st.MakePod().HostPort(p): one container with that host port.
  const withHostPort = (name: string, port?: number, node?: string): Pod =>
    makePod(name, { containers: port === undefined ? [] : [{ name: 'c', image: 'img', ports: [{ containerPort: port, hostPort: port }] }], ...(node ? { nodeName: node } : {}) });
  const podWithHostPort = withHostPort('p', 8080);
  const rows: Array<{ name: string; oldObj: unknown; want: 'Queue' | 'QueueSkip' | 'error' }> = [
    { name: 'backoff-wrong-old-object', oldObj: 'not-a-pod', want: 'error' },
    { name: 'skip-queue-on-unscheduled', oldObj: withHostPort('o'), want: 'QueueSkip' },
    { name: 'skip-queue-on-non-hostport', oldObj: withHostPort('o', undefined, 'fake-node'), want: 'QueueSkip' },
    { name: 'skip-queue-on-unrelated-hostport', oldObj: withHostPort('o', 8081, 'fake-node'), want: 'QueueSkip' },
    { name: 'queue-on-released-hostport', oldObj: withHostPort('o', 8080, 'fake-node'), want: 'Queue' },
  ];
  for (const row of rows) {
    const got = isSchedulableAfterPodDeleted(podWithHostPort, row.oldObj, undefined);
    if (row.want === 'error') t.ok(got instanceof Error, row.name);
    else t.equal(got, row.want, row.name);
  }
});
