// A small seeded generator whose whole state is one 32-bit number, so a checkpoint can store and restore it exactly.
export class Rng {
  constructor(public state: number) {
    this.state = state >>> 0;
  }

  /** mulberry32: fast, well mixed, and trivially serializable. */
  nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor((this.nextUint32() / 4294967296) * n);
  }
}

/** Stable 32-bit hash of a string (FNV-1a), for per-node initializer seeds that survive graph edits. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
