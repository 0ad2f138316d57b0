// A pool extension (pool/extension.ts) with one hook, run in the supervisor:
// when a worker dies holding the heap's lock, the heap is repaired and the
// lock released, so that no other thread waits on it for ever; and the
// blocks of the worker's own runtime are released.
import { Allocator } from '../memory/allocator.js';
import type { ExtensionContext, WorkerExit } from '../pool/extension.js';
import type { SharedState } from './runtime.js';

let allocator: Allocator | undefined;

export function workerExited(context: ExtensionContext, exit: WorkerExit): void {
  allocator ??= Allocator.attach((context.shared as SharedState).heap, () => false);
  allocator.recover(exit.threadId);
  releaseBlocks(allocator, exit.threadId);
}

/** Until the lock is free: it may be held by a worker whose own exit this thread has yet to handle. */
function releaseBlocks(heap: Allocator, threadId: number): void {
  if (!heap.releaseBlocksOf(threadId)) setTimeout(() => releaseBlocks(heap, threadId), 1);
}
