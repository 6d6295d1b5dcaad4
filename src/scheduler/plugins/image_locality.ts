// ImageLocality: nodes that already hold the images of the pod's containers (init containers
// included) score higher, in proportion to the images' sizes, scaled down by how widely each image
// has spread across the cluster (to avoid piling pods onto the few nodes that have an image).
// Follows pkg/scheduler/framework/plugins/imagelocality/image_locality.go (v1.35). Score only; no
// NormalizeScore (the score is already in [0, 100]).
//
// Upstream reads each node's ImageStates (name → {Size, NumNodes}) from the snapshot, which the
// scheduler cache builds from node.status.images. Here:
//   - the node's own status.images give each name's size (the first entry listing a name wins
//     within a node, as the cache's addNodeImageStates does). Not modelled: the cache keeps one
//     size per image name for the whole cluster (that of the node that first brought the name
//     into the cache); nodes reporting different sizes for one name may score differently here;
//   - NumNodes (how many nodes list the name) and the total node count come from
//     handle.nodes.list(), computed once per cycle (cached in CycleState) and reused across cycles
//     while no node's status.images array changes (API objects are replaced, never mutated).
// Also not modelled: SignPod (opportunistic batching signatures).
import type { ContainerImage } from '../../api/types.js';
import { MAX_NODE_SCORE, type AnyPlugin, type CycleState, type Handle, type NodeInfo, type PodInfo } from '../framework/types.js';
import { KeyInterner } from '../framework/intern.js';
import * as names from './names.js';

export const NAME = names.ImageLocality;

// The two thresholds bound the image score range. They correspond to a reasonable size range for
// container images compressed and stored in registries; 90%ile of images on dockerhub fall in it.
const MB = 1024 * 1024;
export const MIN_THRESHOLD = 23 * MB;
export const MAX_CONTAINER_THRESHOLD = 1000 * MB;

/** Key in CycleState of the per-cycle image spread (not an upstream key). */
export const IMAGE_SPREAD_STATE_KEY = 'ImageSpread' + NAME;

/**
 * normalizedImageName: the CRI-compliant name of an image, ":latest" appended when the name has
 * no tag (no ':' after the last '/'). A digest reference ("name@sha256:…") is kept as is.
 */
export function normalizedImageName(name: string): string {
  if (name.lastIndexOf(':') <= name.lastIndexOf('/')) return name + ':latest';
  return name;
}

/**
 * calculatePriority: the node's score from the summed image scores, clamped to
 * [minThreshold, maxContainerThreshold × numContainers] and scaled to [0, MaxNodeScore] with
 * integer (truncating) division.
 */
export function calculatePriority(sumScores: number, numContainers: number): number {
  const maxThreshold = MAX_CONTAINER_THRESHOLD * numContainers;
  if (sumScores < MIN_THRESHOLD) sumScores = MIN_THRESHOLD;
  else if (sumScores > maxThreshold) sumScores = maxThreshold;
  // `+ 0` turns the -0 of 0 / negative (no containers) into 0, as Go's integer division gives.
  return Math.trunc((MAX_NODE_SCORE * (sumScores - MIN_THRESHOLD)) / (maxThreshold - MIN_THRESHOLD)) + 0;
}

/** scaledImageScore: int64(float64(size) * (numNodes / totalNumNodes)). */
export function scaledImageScore(size: number, numNodes: number, totalNumNodes: number): number {
  const spread = numNodes / totalNumNodes;
  return Math.trunc(size * spread);
}

/** One node's images, name → size (bytes), built once per status.images array. */
const nodeImageIndex = new WeakMap<readonly ContainerImage[], Map<string, number>>();

function imagesOf(node: NodeInfo): Map<string, number> | undefined {
  const images = node.node.status.images;
  if (images === undefined || images.length === 0) return undefined;
  let index = nodeImageIndex.get(images);
  if (index === undefined) {
    index = new Map();
    for (const image of images) {
      for (const name of image.names ?? []) if (!index.has(name)) index.set(name, image.sizeBytes ?? 0);
    }
    nodeImageIndex.set(images, index);
  }
  return index;
}

/** Across the node list: how many nodes hold each image name (ImageStateSummary.NumNodes). */
interface ImageSpread {
  readonly totalNumNodes: number;
  readonly numNodes: ReadonlyMap<string, number>;
  /** Bumped whenever the spread is recomputed (a key for the framework's score memo). */
  readonly version: number;
}

let spreadVersion = 0;

/** The pod's image names, normalised, init containers first (per pod object, PodInfo.memo). */
interface PodImages {
  readonly names: readonly string[];
  readonly numContainers: number;
  readonly key: string;
}

/** Pods' images (per pod object, PodInfo.memo), shared by the pods that list the same images:
 *  the first pod of a workload computes them for the others. One table per plugin. */
class PodImagesTable {
  private readonly keys = new KeyInterner();
  private readonly byList = new Map<string, PodImages>();

  of(pod: PodInfo): PodImages {
    let m = pod.memo.get(NAME) as PodImages | undefined;
    if (m !== undefined) return m;
    const spec = pod.pod.spec;
    const images: string[] = [];
    for (const c of spec.initContainers ?? []) images.push(c.image ?? '');
    for (const c of spec.containers) images.push(c.image ?? '');
    const raw = this.keys.key(images);
    m = this.byList.get(raw);
    if (m === undefined) {
      const names = images.map(normalizedImageName);
      m = { names, numContainers: images.length, key: names.join(' ') };
      this.byList.set(raw, m);
    }
    pod.memo.set(NAME, m);
    return m;
  }
}

export class ImageLocality implements AnyPlugin {
  readonly name = NAME;
  /** The spread last computed, and what it was computed from (to reuse it across cycles). */
  private cached: { version: number; list: readonly NodeInfo[]; images: Array<readonly ContainerImage[] | undefined>; spread: ImageSpread } | null = null;

  constructor(private readonly handle: Handle) {}

  /** Signature texts, built once per distinct (spread, images). */
  private readonly signatureKeys = new KeyInterner();
  private readonly podImages = new PodImagesTable();

  /** The image spread over handle.nodes.list(), once per cycle. */
  private spread(state: CycleState): ImageSpread {
    let s = state.read<ImageSpread>(IMAGE_SPREAD_STATE_KEY);
    if (s === undefined) {
      s = this.computeSpread();
      state.write(IMAGE_SPREAD_STATE_KEY, s);
    }
    return s;
  }

  private computeSpread(): ImageSpread {
    const list = this.handle.nodes.list();
    const c = this.cached;
    if (c !== null && c.version === this.handle.nodes.nodesVersion) return c.spread;
    if (c !== null && c.list === list && c.images.length === list.length) {
      let same = true;
      for (let i = 0; i < list.length; i++) {
        if (list[i]!.node.status.images !== c.images[i]) {
          same = false;
          break;
        }
      }
      if (same) {
        c.version = this.handle.nodes.nodesVersion;
        return c.spread;
      }
    }
    const numNodes = new Map<string, number>();
    const images: Array<readonly ContainerImage[] | undefined> = [];
    for (const node of list) {
      images.push(node.node.status.images);
      // The index's keys are the node's distinct names: a node counts once per name.
      const index = imagesOf(node);
      if (index !== undefined) for (const name of index.keys()) numNodes.set(name, (numNodes.get(name) ?? 0) + 1);
    }
    const spread: ImageSpread = { totalNumNodes: list.length, numNodes, version: ++spreadVersion };
    this.cached = { version: this.handle.nodes.nodesVersion, list, images, spread };
    return spread;
  }

  /** The raw score depends on the node (its generation), the pod's images and the spread. */
  scoreSignature(state: CycleState, pod: PodInfo): string {
    const images = this.podImages.of(pod);
    const spread = this.spread(state);
    // With no image anywhere every node scores calculatePriority(0, n): the spread is irrelevant.
    return spread.numNodes.size === 0 ? this.signatureKeys.key(['none', images.numContainers]) : this.signatureKeys.key([spread.version, images.numContainers, images.key]);
  }

  score(state: CycleState, pod: PodInfo, node: NodeInfo): number {
    const { names: imageNames, numContainers } = this.podImages.of(pod);
    const index = imagesOf(node);
    let sum = 0;
    if (index !== undefined) {
      const spread = this.spread(state);
      for (let i = 0; i < imageNames.length; i++) {
        const name = imageNames[i]!;
        const size = index.get(name);
        if (size === undefined) continue;
        // A node outside the lister (never in a real cycle) holds no counted images.
        const numNodes = spread.numNodes.get(name) ?? 0;
        if (numNodes > 0) sum += scaledImageScore(size, numNodes, spread.totalNumNodes);
      }
    }
    return calculatePriority(sum, numContainers);
  }
}

export const newImageLocality = (_args: Record<string, unknown> | undefined, handle: Handle): AnyPlugin => new ImageLocality(handle);
