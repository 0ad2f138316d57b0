// How a job is cut into chunks: a pure function of n and the op's measured
// cost per element (so of op, dtype and n), never of the thread count. The
// same plan runs inline or across threads, so reductions, which combine one
// partial per chunk in chunk order, give bit-identical results either way.

/** Bytes in the kernels' unrolled step (four v128): chunks are multiples of it. */
export const UNROLL_BYTES = 64;
/** Aim for this much work per chunk: long enough to amortize a claim (~0.1 µs), short enough to balance. */
export const CHUNK_NS = 8_000;
/** Bounds on a chunk, in bytes of one operand. */
const MIN_CHUNK_BYTES = 4_096;
const MAX_CHUNK_BYTES = 256 * 1024;
/** Below this much work a call runs inline on the caller: waking workers costs more than it saves. */
export const PARALLEL_NS = 12_000;

export interface Plan {
  /** Elements per chunk (the last one may be shorter). */
  chunk: number;
  chunks: number;
  /** Worth running on the pool, rather than inline on the caller. */
  parallel: boolean;
}

export function plan(n: number, nsPerElement: number, elemBytes: number): Plan {
  const unroll = UNROLL_BYTES / elemBytes;
  const bytes = Math.min(MAX_CHUNK_BYTES, Math.max(MIN_CHUNK_BYTES, (CHUNK_NS / nsPerElement) * elemBytes));
  const chunk = Math.max(unroll, Math.round(bytes / elemBytes / unroll) * unroll);
  const chunks = Math.ceil(n / chunk);
  return { chunk, chunks, parallel: chunks > 1 && n * nsPerElement >= PARALLEL_NS };
}
