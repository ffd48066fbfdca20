// Seeded randomness for the tests: a failure names its seed and replays exactly.

/** mulberry32: a small seeded PRNG, so that a failure can be replayed. @param {number} seed */
export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (/** @type {number} */ n) => Math.floor(next() * n) };
}
