// Seeded randomness. One scenario seed is split into independent named streams (one per
// component), so adding a component or a draw in one component never shifts another's draws.
// Generator: sfc32 (Chris Doty-Humphrey's Small Fast Chaotic PRNG), seeded through splitmix32
// from a hash of (seed, stream name).

export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, streamName = '') {
    let h = mix32((seed >>> 0) ^ 0x9e3779b9) ^ Math.floor(seed / 0x1_0000_0000);
    for (let i = 0; i < streamName.length; i++) h = mix32(h ^ streamName.charCodeAt(i));
    const sm = splitmix32(h);
    this.a = sm();
    this.b = sm();
    this.c = sm();
    this.d = sm();
    for (let i = 0; i < 12; i++) this.nextU32();
  }

  nextU32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform integer in [0, n), unbiased (rejection sampling). Like Go's rand.Intn. */
  intn(n: number): number {
    if (!(n > 0 && n <= 0x1_0000_0000 && Number.isInteger(n))) throw new RangeError(`intn(${n})`);
    // Remainders by floor division: for integers below 2^32, x / n is never within 2^-53
    // (relative) of the next integer up, so Math.floor gives the exact quotient; and it is much
    // cheaper than the floating-point `%`.
    const limit = 0x1_0000_0000 - (0x1_0000_0000 - Math.floor(0x1_0000_0000 / n) * n);
    for (;;) {
      const x = this.nextU32();
      if (x < limit) return x - Math.floor(x / n) * n;
    }
  }

  /** Uniform float in [0, 1) with 32 bits of randomness. */
  float(): number {
    return this.nextU32() / 0x1_0000_0000;
  }
}

/** Named streams derived from one seed. */
export class PrngStreams {
  private streams = new Map<string, Prng>();
  constructor(readonly seed: number) {}

  stream(name: string): Prng {
    let s = this.streams.get(name);
    if (s === undefined) {
      s = new Prng(this.seed, name);
      this.streams.set(name, s);
    }
    return s;
  }
}

function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}
