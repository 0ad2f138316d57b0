// How a job is cut into chunks: a pure function of n and of the op's measured
// cost per element and cutoff (so of op, dtype and n), never of the thread
// count. The same plan runs inline or across threads, so reductions, which
// combine one partial per chunk in chunk order, give bit-identical results
// for any number of threads.

/** Bytes in the kernels' unrolled step (four v128): chunks are multiples of it. */
export const UNROLL_BYTES = 64;
/**
 * A chunk does at most this much work. Shorter chunks cost more in claims,
 * longer ones leave threads waiting for the last. Median 2-thread speedups of
 * exp on float32 at n = 256k, 1M, 4M, 16M: 8 µs 1.95 1.93 1.91 1.87;
 * 32 µs 1.97 1.97 2.01 1.98; 64 µs 1.93 1.98 1.98 1.95 (and worse minimums).
 */
export const CHUNK_NS = 32_000;
/** ...and at least this much, so that claiming it (an atomic add, a call: ~0.1 µs) stays cheap. */
export const MIN_CHUNK_NS = 2_000;
/** Small calls are cut into this many chunks, so that any thread count up to it shares them. */
export const SMALL_CALL_CHUNKS = 8;
/** Bounds on a chunk, in bytes of one operand. */
const MIN_CHUNK_BYTES = 4_096;
const MAX_CHUNK_BYTES = 256 * 1024;

export interface Plan {
  /** Elements per chunk (the last one may be shorter). */
  chunk: number;
  chunks: number;
  /** Worth running on the pool, rather than inline on the caller. */
  parallel: boolean;
}

/**
 * @param nsPerElement the op's cost on one thread (the op table's `cost`)
 * @param parallelFrom the least n for which the pool beats one thread (the op table's `cutoff`)
 */
export function plan(n: number, nsPerElement: number, elemBytes: number, parallelFrom: number): Plan {
  const unroll = UNROLL_BYTES / elemBytes;
  const least = Math.max(MIN_CHUNK_BYTES / elemBytes, MIN_CHUNK_NS / nsPerElement);
  const most = Math.max(least, Math.min(MAX_CHUNK_BYTES / elemBytes, CHUNK_NS / nsPerElement));
  const wanted = Math.min(most, Math.max(least, n / SMALL_CALL_CHUNKS));
  const chunk = Math.max(unroll, Math.ceil(wanted / unroll) * unroll);
  const chunks = Math.ceil(n / chunk);
  return { chunk, chunks, parallel: chunks > 1 && n >= parallelFrom };
}
