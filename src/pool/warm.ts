// Warm-up: every thread calls each kernel once on scratch memory when it
// starts. V8 runs a wasm function in baseline (Liftoff) code until the
// function has used up a budget of work, then optimizes it in the
// background, and has no on-stack replacement: a large first call runs all
// of its chunks at baseline speed, 2-4× slower, until the optimized code
// lands. One call of WARM_ELEMENTS uses up the budget of every kernel, so
// optimization starts at start-up instead, and the first real calls find
// optimized code (or soon do). Tiering is per thread: each one warms itself.
import type { Kernel } from '../wasm/module.js';

/** Elements per warm-up call: enough to use up V8's tier-up budget of the largest kernel. */
export const WARM_ELEMENTS = 16384;
/** Operand regions a kernel takes at most before n: a, b (or a number), out. */
const REGIONS = 3;
/** Bytes of scratch the warm-up needs, for f64 elements. */
export const WARM_BYTES = REGIONS * WARM_ELEMENTS * 8;

/**
 * Calls each kernel on zeros in `scratch`. Kernels take pointers (and for
 * array ∘ number forms one number, which any pointer value serves) followed
 * by n, so each is called with as many regions as it has parameters before n.
 * The results are garbage, written only inside the scratch.
 */
export function warmKernels(kernels: readonly Kernel[], scratch: number): void {
  const regions = Array.from({ length: REGIONS }, (_, i) => scratch + i * WARM_ELEMENTS * 8);
  for (const kernel of kernels) {
    (kernel as (...args: number[]) => unknown)(...regions.slice(0, kernel.length - 1), WARM_ELEMENTS);
  }
}
