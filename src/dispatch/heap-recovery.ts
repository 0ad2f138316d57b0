// A pool extension (pool/extension.ts) with one hook, run in the supervisor:
// when a worker dies holding the heap's lock, the heap is repaired and the
// lock released, so that no other thread waits on it for ever.
import { Allocator } from '../memory/allocator.js';
import type { ExtensionContext, WorkerExit } from '../pool/extension.js';
import type { SharedState } from './runtime.js';

let allocator: Allocator | undefined;

export function workerExited(context: ExtensionContext, exit: WorkerExit): void {
  allocator ??= Allocator.attach((context.shared as SharedState).heap, () => false);
  allocator.recover(exit.threadId);
}
