// A pool extension (pool/extension.ts) with one hook, run in the supervisor:
// when a worker dies holding the heap's lock, the heap is repaired and the
// lock released, so that no other thread waits on it for ever; and the
// blocks of the worker's own runtime are released.
import { Allocator } from '../memory/allocator.js';
import type { ExtensionContext, WorkerExit } from '../pool/extension.js';
import type { SharedState } from './runtime.js';

let allocator: Allocator | undefined;

export function workerExited(context: ExtensionContext, exit: WorkerExit): Promise<void> | undefined {
  allocator ??= Allocator.attach((context.shared as SharedState).heap, () => false);
  allocator.recover(exit.threadId);
  return releaseBlocks(allocator, exit.threadId);
}

/**
 * Now, or once the lock is free: it may be held by a worker whose own exit
 * this thread has yet to handle. A later try takes the lock, so it must end
 * before this thread may be stopped (the promise says when).
 */
function releaseBlocks(heap: Allocator, threadId: number): Promise<void> | undefined {
  if (heap.releaseBlocksOf(threadId)) return undefined;
  return new Promise((resolve) => {
    const retry = () => (heap.releaseBlocksOf(threadId) ? resolve() : setTimeout(retry, 1));
    setTimeout(retry, 1);
  });
}
