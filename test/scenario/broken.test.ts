// Deliberately broken scenario files (test/broken/): each must fail to load with exactly these
// located errors. The expected texts are written out here on purpose, so a change of wording or
// of position is a visible change to this table.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { loadFile } from '../../src/scenario/load.js';
import { formatLoadError, type LoadError } from '../../src/scenario/types.js';

const BROKEN_DIR = fileURLToPath(new URL('../broken/', import.meta.url));

interface Expected {
  line: number;
  column: number;
  path: string;
  message: string;
  /** When the error is in another file than the scenario (an included manifest). */
  file?: string;
}

interface Row {
  file: string;
  errors: Expected[];
  /** Scenarios that still load from the file (default 0). */
  loaded?: number;
}

const SUBDOMAIN_RULE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_RULE =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

const rows: Row[] = [
  {
    file: 'unknown-top-level-field.yaml',
    errors: [{ line: 3, column: 1, path: 'untill', message: 'unknown field "untill" (did you mean "until"?)' }],
  },
  {
    file: 'unknown-node-field.yaml',
    errors: [{ line: 5, column: 7, path: 'cluster.nodes[0].capcity', message: 'unknown field "capcity" (did you mean "capacity"?)' }],
  },
  {
    file: 'unknown-container-field.yaml',
    errors: [
      {
        line: 11,
        column: 13,
        path: 'cluster.objects[0].spec.containers[0].imagePullPolcy',
        message: 'unknown field "imagePullPolcy" (did you mean "imagePullPolicy"?)',
      },
    ],
  },
  {
    file: 'bad-duration.yaml',
    errors: [{ line: 6, column: 9, path: 'events[0].at', message: 'invalid duration "1min" (expected Go form such as 500ms, 30s, 1m30s, 2h)' }],
  },
  {
    file: 'time-after-until.yaml',
    errors: [{ line: 7, column: 22, path: 'expect[0].eventually.by', message: 'time 6m is after until (5m)' }],
  },
  {
    file: 'negative-grace-period.yaml',
    errors: [{ line: 4, column: 49, path: 'events[0].delete.gracePeriod', message: 'negative duration "-5s"' }],
  },
  {
    file: 'window-backwards.yaml',
    errors: [{ line: 3, column: 20, path: 'expect[0].always.from', message: 'from (5m) is after until (2m)' }],
  },
  {
    file: 'bad-quantity.yaml',
    errors: [
      {
        line: 7,
        column: 17,
        path: 'cluster.nodes[0].capacity.memory',
        message: `invalid quantity "16GB": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
      },
    ],
  },
  {
    file: 'bad-name.yaml',
    errors: [{ line: 7, column: 15, path: 'cluster.objects[0].metadata.name', message: `invalid name "Web_App": ${SUBDOMAIN_RULE}` }],
  },
  {
    file: 'bad-namespace.yaml',
    errors: [{ line: 4, column: 23, path: 'expect[0].pods.namespace', message: `invalid namespace "Team_A": ${LABEL_RULE}` }],
  },
  {
    file: 'unsupported-kind.yaml',
    errors: [
      {
        line: 5,
        column: 13,
        path: 'cluster.objects[0].kind',
        message: 'unsupported kind "Service"; supported kinds: Namespace, Node, Pod, Event, ReplicaSet, Deployment, Lease, PriorityClass, LimitRange, PodDisruptionBudget, PersistentVolume, PersistentVolumeClaim, StorageClass, VolumeAttachment, CSINode',
      },
    ],
  },
  {
    file: 'event-under-always.yaml',
    errors: [
      {
        line: 4,
        column: 5,
        path: 'expect[0].event',
        message: 'event cannot be checked under always: an Event stays recorded once it happened; to check that one never happens, use "at: end" with "absent: true"',
      },
    ],
  },
  {
    file: 'two-actions.yaml',
    errors: [{ line: 8, column: 5, path: 'events[0].failNode', message: 'an event takes exactly one action, but this one has 2: cordon, failNode' }],
  },
  {
    file: 'missing-matcher.yaml',
    errors: [{ line: 3, column: 5, path: 'expect[0]', message: 'an expectation needs a matcher: pods, object or event' }],
  },
  {
    file: 'invalid-regex.yaml',
    errors: [{ line: 6, column: 16, path: 'expect[0].event.message', message: 'Invalid regular expression: /0/(\\d+ nodes/: Unterminated group' }],
  },
  {
    file: 'yaml-syntax-error.yaml',
    errors: [{ line: 4, column: 1, path: '', message: 'invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]' }],
  },
  {
    file: 'wrong-type.yaml',
    errors: [{ line: 8, column: 19, path: 'cluster.objects[0].spec.replicas', message: 'must be an integer (got "three")' }],
  },
  {
    file: 'missing-cpu.yaml',
    errors: [{ line: 5, column: 7, path: 'cluster.nodes[0].capacity.cpu', message: 'missing required field "cpu"' }],
  },
  {
    file: 'count-without-placeholder.yaml',
    errors: [{ line: 4, column: 13, path: 'cluster.nodes[0].name', message: 'with count, the name must contain {i} (e.g. "worker-{i}")' }],
  },
  {
    file: 'unknown-resource.yaml',
    errors: [
      {
        line: 11,
        column: 26,
        path: 'cluster.objects[0].spec.containers[0].resources.requests.cpus',
        message:
          'unknown resource "cpus" (did you mean "cpu"?); use cpu, memory, ephemeral-storage, hugepages-<size>, or a fully qualified extended resource such as example.com/gpu',
      },
    ],
  },
  {
    file: 'include-missing-file.yaml',
    errors: [{ line: 5, column: 7, path: 'cluster.include[1]', message: 'include "manifests/not-there.yaml": no such file or directory' }],
  },
  {
    file: 'include-broken-manifest.yaml',
    errors: [
      {
        file: 'manifests/broken-pod.yaml',
        line: 14,
        column: 44,
        path: 'spec.tolerations[0].operator',
        message: 'must be one of Exists, Equal (got "Equals", did you mean "Equal"?)',
      },
    ],
  },
  {
    file: 'bad-selector-operator.yaml',
    errors: [
      {
        line: 11,
        column: 36,
        path: 'cluster.objects[0].spec.selector.matchExpressions[0].operator',
        message: '"Inn" is not a valid pod selector operator',
      },
    ],
  },
  {
    file: 'unknown-node-in-event.yaml',
    errors: [
      {
        line: 7,
        column: 15,
        path: 'events[0].failNode',
        message: 'unknown node "worker-4" (did you mean "worker-1"?): no node of this scenario has that name',
      },
    ],
  },
  {
    file: 'duplicate-node.yaml',
    errors: [{ line: 5, column: 14, path: 'cluster.nodes[1].name', message: 'duplicate node name "worker-2" (also defined at line 4)' }],
  },
  {
    file: 'control-plane-typo.yaml',
    errors: [
      { line: 5, column: 5, path: 'cluster.controlPlane.nodeMonitorPerod', message: 'unknown field "nodeMonitorPerod" (did you mean "nodeMonitorPeriod"?)' },
    ],
  },
  {
    file: 'scheduler-wrong-kind.yaml',
    errors: [{ line: 5, column: 11, path: 'cluster.scheduler.kind', message: 'must be "KubeSchedulerConfiguration" (got "KubeSchedulerConfig")' }],
  },
  {
    file: 'object-matcher-typo.yaml',
    errors: [
      { line: 8, column: 14, path: 'expect[0].object.spec.unschedulabel', message: 'unknown field "unschedulabel" (did you mean "unschedulable"?)' },
    ],
  },
  {
    file: 'manifest-not-scenario.yaml',
    errors: [
      {
        line: 1,
        column: 1,
        path: '',
        message: 'this document is a Kubernetes manifest (kind Namespace), not a scenario; list it under cluster.objects or cluster.include',
      },
    ],
  },
  {
    file: 'duplicate-scenario-name.yaml',
    loaded: 1,
    errors: [{ line: 3, column: 7, path: 'name', message: 'duplicate scenario name "same-name" (also used at line 1)' }],
  },
];

function actual(e: LoadError): Expected {
  return { file: e.file, line: e.line, column: e.column, path: e.path, message: e.message };
}

for (const row of rows) {
  t.test(row.file, async (t) => {
    const file = join(BROKEN_DIR, row.file);
    const result = loadFile(file);
    t.equal(result.scenarios.length, row.loaded ?? 0, 'scenarios that load');
    const expected = row.errors.map((e) => ({ ...e, file: join(BROKEN_DIR, e.file ?? row.file) }));
    t.same(result.errors.map(actual), expected, result.errors.map(formatLoadError).join('\n'));
  });
}

t.test('every broken file has a row, and there are at least 15', async (t) => {
  const files = readdirSync(BROKEN_DIR).filter((f) => f.endsWith('.yaml')).sort();
  t.same(files, rows.map((r) => r.file).sort());
  t.ok(rows.length >= 15);
});

t.test('formatLoadError prints file:line:col: message (at path)', async (t) => {
  const [error] = loadFile(join(BROKEN_DIR, 'unknown-top-level-field.yaml')).errors;
  t.equal(formatLoadError(error!), `${join(BROKEN_DIR, 'unknown-top-level-field.yaml')}:3:1: unknown field "untill" (did you mean "until"?) (at untill)`);
});
