// The simulation's one queue: a binary min-heap keyed (timeMs, seq). seq is the insertion
// counter, so entries at the same instant run first-in-first-out (as SimPy's Environment).

export interface QueueEntry {
  readonly timeMs: number;
  readonly seq: number;
  readonly component: string;
  readonly run: () => void;
  cancelled: boolean;
}

export class EventQueue {
  private heap: QueueEntry[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.heap.length;
  }

  push(timeMs: number, component: string, run: () => void): QueueEntry {
    const entry: QueueEntry = { timeMs, seq: this.nextSeq++, component, run, cancelled: false };
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(entry, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = entry;
    return entry;
  }

  peek(): QueueEntry | undefined {
    return this.heap[0];
  }

  pop(): QueueEntry | undefined {
    const heap = this.heap;
    const top = heap[0];
    if (top === undefined) return undefined;
    const last = heap.pop()!;
    if (heap.length > 0) {
      let i = 0;
      const n = heap.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const child = r < n && before(heap[r]!, heap[l]!) ? r : l;
        if (!before(heap[child]!, last)) break;
        heap[i] = heap[child]!;
        i = child;
      }
      heap[i] = last;
    }
    return top;
  }
}

function before(a: QueueEntry, b: QueueEntry): boolean {
  return a.timeMs < b.timeMs || (a.timeMs === b.timeMs && a.seq < b.seq);
}
