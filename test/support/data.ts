// Seeded test inputs: random values mixed with the special ones every
// kernel must get right.
import * as lanes from 'lanes';
import type { Dtype, FloatArray } from 'lanes';

/** mulberry32: a small seeded generator, uniform in [0, 1). */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const SPECIALS = [NaN, Infinity, -Infinity, 0, -0, 1, -1, 2 ** -1074, -(2 ** -1074), 1e-40, -1e-40, 2 ** -149, 3.4e38, -3.4e38, 1e308, 0.5];

/** n values: mostly random across magnitudes and signs, with specials spread through. */
export function values(n: number, seed: number): number[] {
  const next = random(seed);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const pick = next();
    if (pick < 0.1) out.push(SPECIALS[Math.floor(next() * SPECIALS.length)]);
    else if (pick < 0.55) out.push((next() - 0.5) * 20);
    else out.push((next() < 0.5 ? -1 : 1) * 2 ** (next() * 80 - 40));
  }
  return out;
}

export const VIEW = { float32: Float32Array, float64: Float64Array } as const;

/** n NaNs of both signs with random payloads (quiet and signaling): no payload may leak into a result's exponent. */
export function nanPayloads(dtype: Dtype, n: number, seed: number): Float32Array | Float64Array {
  const next = random(seed);
  const x = new VIEW[dtype](n);
  const bits = dtype === 'float32' ? new Uint32Array(x.buffer) : new BigUint64Array(x.buffer);
  for (let i = 0; i < n; i++) {
    const sign = i & 1;
    if (dtype === 'float32') (bits as Uint32Array)[i] = ((sign << 31) | 0x7f800000 | (1 + Math.floor(next() * (2 ** 23 - 1)))) >>> 0;
    else (bits as BigUint64Array)[i] = (BigInt(sign) << 63n) | 0x7ff0000000000000n | BigInt(1 + Math.floor(next() * (2 ** 52 - 1)));
  }
  return x;
}

/** Bit-exact equality, NaN payloads aside; -0 and +0 differ. */
export function sameValue(a: number, b: number): boolean {
  return Number.isNaN(a) ? Number.isNaN(b) : Object.is(a, b);
}

/** The first index where two arrays differ by sameValue, or -1. */
export function firstDifference(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return 0;
  for (let i = 0; i < actual.length; i++) if (!sameValue(actual[i], expected[i])) return i;
  return -1;
}

export function elementBytes(dtype: Dtype): number {
  return dtype === 'float32' ? 4 : 8;
}

export function copyOf(a: FloatArray): FloatArray {
  return a.slice();
}

/** What guard margins hold: a value no op here writes by accident. */
export const SENTINEL = -123.5;

/**
 * A lanes array of n elements in the middle of a bigger lanes block whose
 * margins hold SENTINEL (`before` elements ahead, so an odd `before` also
 * misaligns the view); intact() says whether the margins are untouched.
 * With inLanes false, the same in ordinary (foreign) memory.
 */
export function guarded(dtype: Dtype, n: number, before = 3, after = 3, inLanes = true) {
  const length = before + n + after;
  const block = (inLanes ? lanes.empty(length, dtype) : new VIEW[dtype](length)).fill(SENTINEL);
  const view = block.subarray(before, before + n);
  const intact = () => {
    for (let i = 0; i < before; i++) if (block[i] !== SENTINEL) return false;
    for (let i = before + n; i < block.length; i++) if (block[i] !== SENTINEL) return false;
    return true;
  };
  return { block, view, intact };
}
