// Canonical keys for short lists of numbers (and names), such as a pod's resource requests in a
// plugin's signature. A cycle asks for the same few keys again and again: printing the numbers
// each time was a good part of a cycle's fixed cost. Here a trie of Maps finds the key built the
// first time, so the same list gives the same string object (whose hash V8 has already computed
// for the Maps the key is then looked up in).

interface TrieNode {
  next: Map<number | string, TrieNode> | undefined;
  key: string | undefined;
}

export class KeyInterner {
  private readonly root: TrieNode = { next: undefined, key: undefined };

  /** The parts joined with ',', as one string object per distinct list. At each position, all
   *  lists should hold the same type (1 and '1' give the same text). */
  key(parts: ArrayLike<number | string>): string {
    let node = this.root;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      let next = node.next;
      if (next === undefined) node.next = next = new Map();
      let child = next.get(part);
      if (child === undefined) next.set(part, (child = { next: undefined, key: undefined }));
      node = child;
    }
    if (node.key === undefined) node.key = Array.prototype.join.call(parts, ',');
    return node.key;
  }
}
