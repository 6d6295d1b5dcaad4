// The PV controller's volume index, transcribed from pkg/controller/volume/persistentvolume/
// index_test.go: TestMatchVolume (its table), TestMatchingWithBoundVolumes,
// TestFindingVolumeWithDifferentAccessModes, TestFindingPreboundVolumes and
// TestAllPossibleAccessModes. As in today's upstream, the volumes are Available (FindMatchingVolume
// skips other phases) and the class is spec.storageClassName (the old tests used the beta
// annotation). Volume names are upstream's UIDs, which the tests compare.
import t from 'tap';
import type { PersistentVolume, PersistentVolumeAccessMode, PersistentVolumeClaim } from '../../src/api/types.js';
import { accessModesAsString, allPossibleMatchingAccessModes, checkNodeAffinity, findBestMatchForClaim, findMatchingVolume } from '../../src/api/volume_index.js';

const RWO: PersistentVolumeAccessMode = 'ReadWriteOnce';
const ROX: PersistentVolumeAccessMode = 'ReadOnlyMany';
const RWX: PersistentVolumeAccessMode = 'ReadWriteMany';

interface VolumeOptions {
  labels?: Record<string, string>;
  className?: string;
  claimRef?: PersistentVolume['spec']['claimRef'];
  phase?: PersistentVolume['status']['phase'];
}

function pv(name: string, size: string, modes: PersistentVolumeAccessMode[], o: VolumeOptions = {}): PersistentVolume {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, ...(o.labels ? { labels: o.labels } : {}) },
    spec: {
      capacity: { storage: size },
      accessModes: modes,
      ...(o.className ? { storageClassName: o.className } : {}),
      ...(o.claimRef ? { claimRef: o.claimRef } : {}),
    },
    status: { phase: o.phase ?? 'Available' },
  };
}

/** makePVC: claim01 in myns, [ROX, RWO], the given size. */
function makePVC(size: string, mod: (c: PersistentVolumeClaim) => void = () => {}): PersistentVolumeClaim {
  const claim: PersistentVolumeClaim = {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'claim01', namespace: 'myns', uid: 'claim01-uid' },
    spec: { accessModes: [ROX, RWO], resources: { requests: { storage: size } } },
    status: {},
  };
  mod(claim);
  return claim;
}

/** createTestVolumes, deliberately out of order. */
function createTestVolumes(): PersistentVolume[] {
  return [
    pv('gce-pd-10', '10G', [RWO, ROX]),
    pv('gce-pd-20', '20G', [RWO, ROX], { claimRef: { kind: 'PersistentVolumeClaim', name: '', uid: 'def456' } }),
    pv('nfs-5', '5G', [RWO, ROX, RWX]),
    pv('gce-pd-1', '1G', [RWO, ROX], { claimRef: { kind: 'PersistentVolumeClaim', name: '', uid: 'abc123' } }),
    pv('nfs-10', '10G', [RWO, ROX, RWX]),
    pv('gce-pd-5', '5G', [RWO, ROX]),
    pv('nfs-1', '1G', [RWO, ROX, RWX]),
    pv('gce-pd-2', '20000G', [RWO], { labels: { 'should-exist': 'true' } }),
    pv('gce-pd-silver1', '10000G', [RWO], { labels: { 'should-exist': 'true' }, className: 'silver' }),
    pv('gce-pd-silver2', '100G', [RWO], { className: 'silver' }),
    pv('gce-pd-gold', '50G', [RWO], { className: 'gold' }),
  ];
}

t.test('TestMatchVolume', async (t) => {
  const volumes = createTestVolumes();
  const rows: Array<{ name: string; expectedMatch: string; claim: PersistentVolumeClaim }> = [
    { name: 'successful-match-gce-10', expectedMatch: 'gce-pd-10', claim: makePVC('8G') },
    { name: 'successful-match-nfs-5', expectedMatch: 'nfs-5', claim: makePVC('5G', (c) => (c.spec.accessModes = [ROX, RWO, RWX])) },
    { name: 'successful-skip-1g-bound-volume', expectedMatch: 'gce-pd-5', claim: makePVC('1G') },
    { name: 'successful-no-match', expectedMatch: '', claim: makePVC('999G') },
    { name: 'successful-no-match-due-to-label', expectedMatch: '', claim: makePVC('999G', (c) => (c.spec.selector = { matchLabels: { 'should-not-exist': 'true' } })) },
    {
      name: 'successful-no-match-due-to-size-constraint-with-label-selector',
      expectedMatch: '',
      claim: makePVC('20000G', (c) => {
        c.spec.selector = { matchLabels: { 'should-exist': 'true' } };
        c.spec.accessModes = [ROX, RWO];
      }),
    },
    {
      name: 'successful-match-due-with-constraint-and-label-selector',
      expectedMatch: 'gce-pd-2',
      claim: makePVC('20000G', (c) => {
        c.spec.selector = { matchLabels: { 'should-exist': 'true' } };
        c.spec.accessModes = [RWO];
      }),
    },
    {
      name: 'successful-match-with-class',
      expectedMatch: 'gce-pd-silver1',
      claim: makePVC('1G', (c) => {
        c.spec.storageClassName = 'silver';
        c.spec.selector = { matchLabels: { 'should-exist': 'true' } };
        c.spec.accessModes = [RWO];
      }),
    },
    {
      name: 'successful-match-with-class-and-labels',
      expectedMatch: 'gce-pd-silver2',
      claim: makePVC('1G', (c) => {
        c.spec.storageClassName = 'silver';
        c.spec.accessModes = [RWO];
      }),
    },
  ];
  for (const row of rows) {
    const got = findBestMatchForClaim(row.claim, volumes, false);
    t.equal(got?.metadata.name ?? '', row.expectedMatch, row.name);
  }
});

t.test('TestMatchingWithBoundVolumes: of two similar volumes, the bound one is skipped', async (t) => {
  const pv1 = pv('gce001', '1G', [RWO, ROX], { claimRef: { kind: 'PersistentVolumeClaim', name: '', uid: 'abc123' } });
  const pv2 = pv('gce002', '1G', [RWO, ROX]);
  t.equal(findBestMatchForClaim(makePVC('1G'), [pv1, pv2], false)?.metadata.name, 'gce002');
});

t.test('TestFindingVolumeWithDifferentAccessModes', async (t) => {
  const gce = pv('gce', '10G', [RWO, ROX]);
  const ebs = pv('ebs', '10G', [RWO]);
  const nfs = pv('nfs', '10G', [RWO, ROX, RWX]);
  const claim = (modes: PersistentVolumeAccessMode[]) => makePVC('1G', (c) => (c.spec.accessModes = modes));
  const bound = (v: PersistentVolume): PersistentVolume => ({ ...v, spec: { ...v.spec, claimRef: { kind: 'PersistentVolumeClaim', name: '' } } });
  const rows: Array<[string, PersistentVolume[], PersistentVolumeAccessMode[], string]> = [
    ['the exact modes', [gce, ebs, nfs], [RWO], 'ebs'],
    ['RWO+ROX', [gce, ebs, nfs], [RWO, ROX], 'gce'],
    ['order of the requested modes does not matter', [gce, ebs, nfs], [RWX, RWO, ROX], 'nfs'],
    ['fewer modes requested still match', [gce, ebs, nfs], [RWX], 'nfs'],
    ['the exact match is bound: the next level up of modes', [gce, bound(ebs), nfs], [RWO], 'gce'],
    ['continue up the levels of modes', [bound(gce), bound(ebs), nfs], [RWO], 'nfs'],
    ['partial mode request', [gce, bound(ebs), nfs], [ROX], 'gce'],
  ];
  for (const [name, volumes, modes, want] of rows) t.equal(findBestMatchForClaim(claim(modes), volumes, false)?.metadata.name, want, name);
});

t.test('TestFindingPreboundVolumes', async (t) => {
  const claim = makePVC('1Gi', (c) => (c.spec.accessModes = [RWO]));
  const claimRef = { kind: 'PersistentVolumeClaim', namespace: 'myns', name: 'claim01', uid: 'claim01-uid' };
  const base = {
    pv1: pv('pv1', '1Gi', [RWO]),
    pv5: pv('pv5', '5Gi', [RWO]),
    pv8: pv('pv8', '8Gi', [RWO]),
    pvBadSize: pv('pvBadSize', '1Mi', [RWO]),
    pvBadMode: pv('pvBadMode', '1Gi', [ROX]),
  };
  const volumes = (over: Partial<typeof base>) => Object.values({ ...base, ...over });
  const withRef = (v: PersistentVolume, ref: PersistentVolume['spec']['claimRef']): PersistentVolume => ({ ...v, spec: { ...v.spec, claimRef: ref } });
  const rows: Array<[string, PersistentVolume[], string]> = [
    ['expected exact match on size', volumes({}), 'pv1'],
    ['the exact match is pre-bound elsewhere: the next size up', volumes({ pv1: withRef(base.pv1, { kind: 'PersistentVolumeClaim', name: 'foo', namespace: 'bar' }) }), 'pv5'],
    ['the largest volume is pre-bound to the claim', volumes({ pv8: withRef(base.pv8, claimRef) }), 'pv8'],
    ['a too small volume pre-bound to the claim: the exact match', volumes({ pvBadSize: withRef(base.pvBadSize, claimRef) }), 'pv1'],
    ['a volume of the wrong mode pre-bound to the claim: the exact match', volumes({ pvBadMode: withRef(base.pvBadMode, claimRef) }), 'pv1'],
  ];
  for (const [name, vols, want] of rows) t.equal(findBestMatchForClaim(claim, vols, false)?.metadata.name, want, name);
});

t.test('TestAllPossibleAccessModes', async (t) => {
  const volumes = createTestVolumes();
  const rwo = allPossibleMatchingAccessModes(volumes, [RWO]);
  t.equal(rwo.length, 3, 'three sets of modes contain RWO');
  t.same(rwo, ['RWO', 'RWO,ROX', 'RWO,ROX,RWX'], 'fewest modes first');
  t.same(allPossibleMatchingAccessModes(volumes, [RWX]), ['RWO,ROX,RWX'], 'one set contains RWX');
  t.equal(accessModesAsString([RWX, 'ReadWriteOncePod', RWO, RWO]), 'RWO,RWX,RWOP', 'GetAccessModesAsString order, duplicates once');
});

t.test('FindMatchingVolume beyond the upstream tables', async (t) => {
  const claim = makePVC('1G', (c) => (c.spec.accessModes = [RWO]));
  t.equal(findMatchingVolume(claim, [pv('pending', '1G', [RWO], { phase: 'Pending' })], false), undefined, 'a volume not yet Available is skipped');
  const preBound = pv('pre', '5G', [RWO], { phase: 'Pending', claimRef: { kind: 'PersistentVolumeClaim', namespace: 'myns', name: 'claim01' } });
  t.equal(findMatchingVolume(claim, [pv('small', '1G', [RWO]), preBound], false)?.metadata.name, 'pre', 'a volume pre-bound by name (no UID) wins over a smaller one, whatever its phase');
  t.equal(findMatchingVolume(claim, [pv('free', '1G', [RWO])], true), undefined, 'delayBinding: unbound volumes are left to the scheduler');
  t.equal(findMatchingVolume(claim, [preBound], true)?.metadata.name, 'pre', 'delayBinding: a pre-bound volume is still returned');
  const block: PersistentVolume = { ...pv('block', '1G', [RWO]), spec: { ...pv('block', '1G', [RWO]).spec, volumeMode: 'Block' } };
  t.equal(findMatchingVolume(claim, [block], false), undefined, 'volumeMode Block does not match a Filesystem claim');
  const deleting: PersistentVolume = { ...pv('gone', '1G', [RWO]), metadata: { name: 'gone', deletionTimestamp: 5 } };
  t.equal(findMatchingVolume(claim, [deleting], false), undefined, 'a volume being deleted is skipped');
  t.equal(findMatchingVolume(claim, [pv('a', '2G', [RWO]), pv('b', '2G', [RWO])], false)?.metadata.name, 'a', 'equal sizes: the first (creation order)');
});

// The scheduler's path (a node), transcribed from staging/src/k8s.io/component-helpers/storage/
// volume/pv_helpers_test.go TestFindMatchVolumeWithNode: every row without a
// VolumeAttributesClass (the VAC rows — success-match-with-vac, fail-vac, fail-prebound-vac,
// fail-on-error, fail-volumes-vac — are left out: VolumeAttributesClass is not modelled). Matches
// are compared by UID, as upstream's are; excludedVolumes is keyed by volume name.
t.test('TestFindMatchVolumeWithNode', async (t) => {
  const affinity = (value: string): PersistentVolume['spec']['nodeAffinity'] => ({ required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'key1', operator: 'In', values: [value] }] }] } });
  /** makeTestVolume(uid, name, capacity, available, modfn): RWO+ROX, Filesystem, a local source. */
  const makeTestVolume = (uid: string, name: string, capacity: string, available: boolean, mod: Partial<PersistentVolume['spec']> = {}): PersistentVolume => ({
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, uid },
    spec: { capacity: { storage: capacity }, accessModes: [RWO, ROX], volumeMode: 'Filesystem', local: {}, ...mod },
    status: available ? { phase: 'Available' } : {},
  });
  const volumes = [
    makeTestVolume('local-small', 'local001', '5G', true),
    makeTestVolume('local-pd-very-large', 'local002', '200E', true, { storageClassName: 'large' }),
    makeTestVolume('affinity-pv', 'affinity001', '100G', true, { storageClassName: 'wait', nodeAffinity: affinity('value1') }),
    makeTestVolume('affinity-pv2', 'affinity002', '150G', true, { storageClassName: 'wait', nodeAffinity: affinity('value1') }),
    makeTestVolume('affinity-prebound', 'affinity003', '100G', true, { storageClassName: 'wait', claimRef: { kind: '', name: 'claim02', namespace: 'myns' }, nodeAffinity: affinity('value1') }),
    makeTestVolume('affinity-pv3', 'affinity003', '200G', true, { storageClassName: 'wait', nodeAffinity: affinity('value3') }),
    makeTestVolume('affinity-pv4', 'affinity004', '200G', false, { storageClassName: 'wait', nodeAffinity: affinity('value4') }),
  ];
  /** makeTestPersistentVolumeClaim(name, size, modes): class wait, Filesystem, namespace myns. */
  const claim = (name: string, size: string, modes: PersistentVolumeAccessMode[]): PersistentVolumeClaim => ({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: 'myns' },
    spec: { accessModes: modes, resources: { requests: { storage: size } }, storageClassName: 'wait', volumeMode: 'Filesystem' },
    status: {},
  });
  const node = (value: string) => ({ key1: value });
  const rows: Array<[string, string, PersistentVolumeClaim, Record<string, string>, string[]?]> = [
    ['success-match', 'affinity-pv', claim('claim01', '100G', [RWO]), node('value1')],
    ['success-prebound', 'affinity-prebound', claim('claim02', '100G', [RWO]), node('value1')],
    ['success-exclusion', 'affinity-pv2', claim('claim01', '100G', [RWO]), node('value1'), ['affinity001']],
    ['fail-exclusion', '', claim('claim01', '100G', [RWO]), node('value1'), ['affinity001', 'affinity002', 'affinity002-vac']],
    ['fail-accessmode', '', claim('claim01', '100G', [RWX]), node('value1')],
    ['fail-nodeaffinity', '', claim('claim01', '100G', [RWO]), node('value2')],
    ['fail-prebound-node-affinity', '', claim('claim02', '100G', [RWO]), node('value3')],
    ['fail-nonavaliable', '', claim('claim04', '100G', [RWO]), node('value4')],
    ['success-bad-and-good-node-affinity', 'affinity-pv3', claim('claim03', '100G', [RWO]), node('value3')],
  ];
  for (const [name, want, c, labels, excluded] of rows) {
    const got = findMatchingVolume(c, volumes, true, { nodeLabels: labels, excluded: new Set(excluded ?? []) });
    t.equal(got?.metadata.uid ?? '', want, name);
  }
});

t.test('CheckNodeAffinity: no affinity fits; terms ORed; an invalid term never matches, a valid one still can', async (t) => {
  const withAffinity = (terms: NonNullable<NonNullable<PersistentVolume['spec']['nodeAffinity']>['required']>['nodeSelectorTerms']): PersistentVolume => ({
    ...pv('v', '1G', [RWO]),
    spec: { ...pv('v', '1G', [RWO]).spec, nodeAffinity: { required: { nodeSelectorTerms: terms } } },
  });
  t.ok(checkNodeAffinity(pv('v', '1G', [RWO]), {}));
  const terms = [{ matchExpressions: [{ key: 'zone', operator: 'In' as const, values: ['a'] }] }, { matchExpressions: [{ key: 'zone', operator: 'In' as const, values: ['b'] }] }];
  t.ok(checkNodeAffinity(withAffinity(terms), { zone: 'b' }));
  t.notOk(checkNodeAffinity(withAffinity(terms), { zone: 'c' }));
  const bad = [{ matchExpressions: [{ key: 'bad key!', operator: 'In' as const, values: ['x'] }] }, ...terms];
  t.ok(checkNodeAffinity(withAffinity(bad), { zone: 'a' }), 'the valid term still matches');
  t.notOk(checkNodeAffinity(withAffinity([bad[0]!]), { 'bad key!': 'x' }), 'the invalid term does not');
});
