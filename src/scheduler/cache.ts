// The scheduler's cache of nodes and the pods on them, updated incrementally from watch events
// and from assumed (just-scheduled) pods. There is one cycle at a time, so the cache is also the
// snapshot a cycle reads; NodeInfo.generation marks changes for whoever wants to compare.
// Node order follows pkg/scheduler/backend/cache/node_tree.go: zones in the order they first
// appeared, nodes round-robin across zones, removals swap the last node of a zone into place.
import type { Node, Pod } from '../api/types.js';
import { type GenerationWatcher, NodeInfo, type NodeListIndex, type NodeLister, PodInfo } from './framework/types.js';

const LABEL_ZONE = 'topology.kubernetes.io/zone';
const LABEL_REGION = 'topology.kubernetes.io/region';
const LABEL_ZONE_BETA = 'failure-domain.beta.kubernetes.io/zone';
const LABEL_REGION_BETA = 'failure-domain.beta.kubernetes.io/region';

/** utilnode.GetZoneKey: region + ":\x00:" + zone, or "" when the node has neither label. */
export function zoneKey(node: Node): string {
  const labels = node.metadata.labels ?? {};
  const zone = labels[LABEL_ZONE] ?? labels[LABEL_ZONE_BETA] ?? '';
  const region = labels[LABEL_REGION] ?? labels[LABEL_REGION_BETA] ?? '';
  if (zone === '' && region === '') return '';
  return `${region}:\x00:${zone}`;
}

/** How many node changes the cache remembers for its memo scans (a power of two). */
const CHANGE_LOG_SIZE = 4096;

export class SchedulerCache implements NodeLister, NodeListIndex, GenerationWatcher {
  private readonly nodes = new Map<string, NodeInfo>();
  private readonly zones: string[] = [];
  private readonly tree = new Map<string, string[]>();
  private readonly nodeZone = new Map<string, string>();
  private listCache: NodeInfo[] | null = null;
  /** Pods bound to nodes the cache has not seen (yet), by node name. */
  private readonly orphans = new Map<string, Map<string, PodInfo>>();
  /** pod key → node name, for every pod the cache accounts for. */
  private readonly podNode = new Map<string, string>();

  /** See NodeLister.nodesVersion. */
  nodesVersion = 0;

  get size(): number {
    return this.nodes.size;
  }

  get(name: string): NodeInfo | undefined {
    return this.nodes.get(name);
  }

  list(): readonly NodeInfo[] {
    if (this.listCache === null) {
      this.listCache = this.buildList();
      this.listIds = Int32Array.from(this.listCache, (n) => n.id);
    }
    return this.listCache;
  }

  /** The ids of list()'s nodes, by position. */
  private listIds = new Int32Array(0);
  /** Each node's generation by id (NodeListIndex). */
  generations = new Float64Array(64);

  idsOf(nodes: readonly NodeInfo[]): Int32Array | undefined {
    return nodes === this.listCache ? this.listIds : undefined;
  }

  generationChanged(id: number, generation: number): void {
    if (id >= this.generations.length) {
      const grown = new Float64Array(Math.max(id + 1, this.generations.length * 2));
      grown.set(this.generations);
      this.generations = grown;
    }
    this.generations[id] = generation;
    this.changeLog[this.changeCount & (CHANGE_LOG_SIZE - 1)] = id;
    this.changeCount++;
  }

  /** The ids of the latest CHANGE_LOG_SIZE new generations, as a ring (NodeListIndex). */
  private readonly changeLog = new Int32Array(CHANGE_LOG_SIZE);
  changeCount = 0;

  changesSince(count: number, visit: (id: number) => void): boolean {
    if (this.changeCount - count > CHANGE_LOG_SIZE || count > this.changeCount) return false;
    for (let c = count; c < this.changeCount; c++) visit(this.changeLog[c & (CHANGE_LOG_SIZE - 1)]!);
    return true;
  }

  /** Nodes holding pods with (anti-)affinity, in list order; rebuilt only after such a pod
   *  came or went (upstream keeps these lists in the snapshot for the same reason). */
  havePodsWithAffinity(): readonly NodeInfo[] {
    this.refreshAffinityLists();
    return this.affinityList!;
  }

  havePodsWithRequiredAntiAffinity(): readonly NodeInfo[] {
    this.refreshAffinityLists();
    return this.antiAffinityList!;
  }

  private affinityList: NodeInfo[] | null = null;
  private antiAffinityList: NodeInfo[] | null = null;
  private affinityListsFor: readonly NodeInfo[] | null = null;
  /** Pods with any affinity in the cache; when 0 the lists are trivially empty. */
  private affinityPods = 0;

  private refreshAffinityLists(): void {
    const list = this.list();
    if (this.affinityList !== null && this.affinityListsFor === list) return;
    this.affinityListsFor = list;
    if (this.affinityPods === 0) {
      this.affinityList = [];
      this.antiAffinityList = [];
      return;
    }
    this.affinityList = list.filter((n) => n.podsWithAffinity > 0);
    this.antiAffinityList = list.filter((n) => n.podsWithRequiredAntiAffinity > 0);
  }

  private noteAffinity(info: PodInfo, sign: number): void {
    const aff = info.pod.spec.affinity;
    if (!aff || (!aff.podAffinity && !aff.podAntiAffinity)) return;
    this.affinityPods += sign;
    this.affinityList = null;
  }

  private nextNodeId = 0;

  addOrUpdateNode(node: Node): void {
    this.nodesVersion++;
    const name = node.metadata.name;
    let info = this.nodes.get(name);
    if (info === undefined) {
      info = new NodeInfo(node);
      // Ids index the frameworks' memos: dense per cache, so a process that runs many clusters
      // (fuzzing) does not grow every new memo to the process's node count. A memo record also
      // matches on the node's generation, which is globally unique, so ids never alias.
      info.id = this.nextNodeId++;
      info.watcher = this;
      this.generationChanged(info.id, info.generation);
      this.nodes.set(name, info);
      const waiting = this.orphans.get(name);
      if (waiting) {
        for (const p of waiting.values()) info.addPod(p);
        this.orphans.delete(name);
      }
      this.addToTree(name, zoneKey(node));
      return;
    }
    info.setNode(node);
    const zone = zoneKey(node);
    if (zone !== this.nodeZone.get(name)) {
      this.removeFromTree(name);
      this.addToTree(name, zone);
    }
  }

  removeNode(name: string): void {
    const info = this.nodes.get(name);
    if (info === undefined) return;
    this.nodesVersion++;
    this.nodes.delete(name);
    info.watcher = undefined;
    this.removeFromTree(name);
    // Pods still bound to it stay accounted (upstream keeps a "ghost" NodeInfo until they go).
    if (info.pods.length > 0) this.orphans.set(name, new Map(info.pods.map((p) => [p.key, p])));
  }

  hasPod(key: string): boolean {
    return this.podNode.has(key);
  }

  /** Adds or replaces a bound pod (assumed or observed); `info`, when given, is its PodInfo. */
  addPod(pod: Pod, info: PodInfo = PodInfo.of(pod)): void {
    this.removePod(info.key);
    const nodeName = pod.spec.nodeName!;
    this.podNode.set(info.key, nodeName);
    this.noteAffinity(info, 1);
    const node = this.nodes.get(nodeName);
    if (node) {
      node.addPod(info);
      return;
    }
    let waiting = this.orphans.get(nodeName);
    if (!waiting) this.orphans.set(nodeName, (waiting = new Map()));
    waiting.set(info.key, info);
  }

  removePod(key: string): void {
    const nodeName = this.podNode.get(key);
    if (nodeName === undefined) return;
    this.podNode.delete(key);
    const node = this.nodes.get(nodeName);
    const removed = node ? node.removePod(key) : this.orphans.get(nodeName)?.get(key);
    if (!node) this.orphans.get(nodeName)?.delete(key);
    if (removed) this.noteAffinity(removed, -1);
  }

  private addToTree(name: string, zone: string): void {
    let na = this.tree.get(zone);
    if (na === undefined) {
      na = [];
      this.tree.set(zone, na);
      this.zones.push(zone);
    }
    na.push(name);
    this.nodeZone.set(name, zone);
    this.listCache = null;
  }

  private removeFromTree(name: string): void {
    const zone = this.nodeZone.get(name);
    if (zone === undefined) return;
    const na = this.tree.get(zone)!;
    const i = na.indexOf(name);
    na[i] = na[na.length - 1]!;
    na.pop();
    if (na.length === 0) {
      this.tree.delete(zone);
      this.zones.splice(this.zones.indexOf(zone), 1);
    }
    this.nodeZone.delete(name);
    this.listCache = null;
  }

  private buildList(): NodeInfo[] {
    const out: NodeInfo[] = [];
    const total = this.nodes.size;
    for (let nodeIndex = 0; out.length < total && nodeIndex <= total; nodeIndex++) {
      for (const zone of this.zones) {
        const na = this.tree.get(zone)!;
        if (nodeIndex < na.length) out.push(this.nodes.get(na[nodeIndex]!)!);
      }
    }
    return out;
  }
}
