/**
 * xorshift32: a tiny deterministic pseudo-random sequence of floats in [0, 1), so that a failing case of a
 * randomised test (kills at random points, fuzzed inputs, random drops) can be replayed from its seed, which
 * every such test puts in its assertion messages.
 */
export function seeded(seed: number): () => number {
  let x = seed >>> 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x1_0000_0000;
  };
}
