/**
 * A small seeded pseudo-random generator (SplitMix32-style mixing over a Weyl sequence). Synthetic data must be
 * reproducible from a seed so that demos, tests and benchmarks see the same records on every run, and
 * `Math.random` cannot be seeded.
 */
export class Prng {
  private state: number;

  /**
   * @param seed - any integer; equal seeds give equal sequences.
   */
  constructor(seed: number) {
    this.state = (seed ^ 0x9e3779b9) >>> 0;
  }

  /** @returns the next unsigned 32-bit integer. */
  nextUint32(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    return mixUint32(this.state);
  }

  /** @returns a float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /**
   * @param min - smallest value (inclusive).
   * @param max - largest value (inclusive).
   * @returns an integer in [min, max].
   */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /**
   * @param probability - chance of `true`, 0..1.
   * @returns true with the given probability.
   */
  chance(probability: number): boolean {
    return this.next() < probability;
  }

  /**
   * @param items - a non-empty list.
   * @returns one element, uniformly.
   */
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) {
      throw new Error('pick() needs a non-empty list');
    }
    return item;
  }

  /** @returns a random (version 4 layout) UUID drawn from this generator. */
  uuid(): string {
    return formatUuid(this.nextUint32(), this.nextUint32(), this.nextUint32(), this.nextUint32());
  }
}

/**
 * Avalanche mix of a 32-bit integer (finaliser in the style of MurmurHash3), used to derive ids from counters.
 * @param value - input integer.
 * @returns a well-mixed unsigned 32-bit integer.
 */
export function mixUint32(value: number): number {
  let z = value >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex32(v: number): string {
  return (HEX[(v >>> 24) & 255] ?? '') + (HEX[(v >>> 16) & 255] ?? '') + (HEX[(v >>> 8) & 255] ?? '') + (HEX[v & 255] ?? '');
}

/**
 * Lays four 32-bit words out as a UUID with the version-4 and RFC 4122 variant bits set.
 * @param a - first word.
 * @param b - second word.
 * @param c - third word.
 * @param d - fourth word.
 * @returns the UUID string.
 */
export function formatUuid(a: number, b: number, c: number, d: number): string {
  const bb = ((b & 0xffff0fff) | 0x4000) >>> 0;
  const cc = ((c & 0x3fffffff) | 0x80000000) >>> 0;
  const hb = hex32(bb);
  const hc = hex32(cc);
  return `${hex32(a)}-${hb.slice(0, 4)}-${hb.slice(4)}-${hc.slice(0, 4)}-${hc.slice(4)}${hex32(d)}`;
}
