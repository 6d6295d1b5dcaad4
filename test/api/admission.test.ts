// Admission as the API server applies it: DefaultTolerationSeconds
// (plugin/pkg/admission/defaulttolerationseconds/admission.go) runs on creates and updates of a
// pod itself, never on its subresources (status, binding).
import t from 'tap';
import { defaultTolerationSeconds } from '../../src/api/admission.js';
import { Store } from '../../src/api/store.js';
import type { Pod } from '../../src/api/types.js';
import { Simulation } from '../../src/engine/sim.js';

function setup(): Store {
  const store = new Store(new Simulation(1), 0);
  store.addAdmission(defaultTolerationSeconds(300, 120));
  return store;
}

const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'x' }] }, status: {} };
const keys = (p: Pod | undefined) => (p?.spec.tolerations ?? []).map((x) => `${x.key}:${x.effect}:${x.tolerationSeconds}`);
const DEFAULTS = ['node.kubernetes.io/not-ready:NoExecute:300', 'node.kubernetes.io/unreachable:NoExecute:120'];

t.test('added on create, unless the pod tolerates the taint already', async (t) => {
  const store = setup();
  const r = store.create(pod, 'kubectl');
  t.ok(r.ok);
  t.same(keys(store.get<Pod>('Pod', 'default', 'p')), DEFAULTS);
  store.create({ ...pod, metadata: { name: 'q', namespace: 'default' }, spec: { ...pod.spec, tolerations: [{ operator: 'Exists' }] } }, 'kubectl');
  t.same(keys(store.get<Pod>('Pod', 'default', 'q')), ['undefined:undefined:undefined'], 'a toleration of everything covers both');
});

t.test('an update of the pod gets them again; a status or binding write does not', async (t) => {
  const store = setup();
  store.create(pod, 'kubectl');
  const stripped = (): Pod => {
    const cur = store.get<Pod>('Pod', 'default', 'p')!;
    return { ...cur, spec: { ...cur.spec, tolerations: [] } };
  };
  store.update(stripped(), 'kubectl', 'update');
  t.same(keys(store.get<Pod>('Pod', 'default', 'p')), DEFAULTS, 'update');
  store.update(stripped(), 'kubelet/n1', 'status');
  t.same(keys(store.get<Pod>('Pod', 'default', 'p')), [], 'pods/status');
  store.update(stripped(), 'default-scheduler', 'bind');
  t.same(keys(store.get<Pod>('Pod', 'default', 'p')), [], 'pods/binding');
});
