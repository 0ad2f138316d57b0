// The one lanes runtime of a process, started on first use: the shared
// memory, the main thread's instance of the kernels, the allocator, the pool.
import { availableParallelism } from 'node:os';
import { closed } from '../errors.js';
import { Allocator, type HeapState } from '../memory/allocator.js';
import { Arrays } from '../memory/arrays.js';
import { HEAP_LIMIT, SharedMemory } from '../memory/shared.js';
import { allKernelNames, kernelName, REGISTRY, type KernelForm, type OpRow } from '../ops/registry.js';
import type { Dtype } from '../memory/arrays.js';
import { CONTROL_BYTES, MAX_WORKERS } from '../pool/control.js';
import { Pool } from '../pool/pool.js';
import { traceBuffer } from '../pool/trace.js';
import { lanesWorkerData } from '../pool/thread.js';
import { WARM_BYTES, warmKernels } from '../pool/warm.js';
import { instantiate, kernelModule, kernelTable, type KernelExports } from '../wasm/module.js';

export const MAX_THREADS = MAX_WORKERS + 1;

/** What the main runtime shares with its workers (PoolOptions.shared). */
export interface SharedState {
  heap: HeapState;
}

export interface Runtime {
  memory: SharedMemory;
  allocator: Allocator;
  arrays: Arrays;
  /** This thread's instance: every kernel, SIMD and scalar, by name. */
  exports: KernelExports;
  /** Pool kernel index of each SIMD kernel name. */
  kernelIndex: Map<string, number>;
  /** An op's kernel indices for a dtype, by the form of its operands. */
  kernelIds(row: OpRow, dtype: Dtype): KernelIds;
  pool: Pool;
  /** True in a lanes worker thread: ops run inline there, on this one thread. */
  inWorker: boolean;
  /** A block for this thread's use alone: a worker's go when it dies, with the arrays it made. */
  ownBlock(bytes: number): number;
}

export interface KernelIds {
  /** array ∘ array, a unary op, or a reduction */
  array: number;
  /** array ∘ number */
  scalar: number;
  /** number ∘ array */
  reversed: number;
  /** A scan's chunk sums (its first pass) */
  total?: number;
}

let runtime: Runtime | undefined;
/** Threads asked for by configure() before the runtime started. */
let requestedThreads: number | undefined;
let closedEarly = false;
/** Extension modules (pool/extension.ts) the workers load, registered before the runtime starts. */
const extensions: string[] = [];
/** Always first: a worker that died holding the heap's lock is cleaned up after before anyone is woken. */
const HEAP_RECOVERY = new URL('./heap-recovery.js', import.meta.url).href;

/** Makes every worker (and the supervisor) load the module at `url` as an extension. */
export function registerWorkerExtension(url: string): void {
  if (!extensions.includes(url)) extensions.push(url);
}

/** The runtime, started on first use; throws once lanes is closed. */
export function getRuntime(): Runtime {
  assertOpen();
  runtime ??= start();
  return runtime;
}

export function assertOpen(): void {
  if (closedEarly || runtime?.pool.closed) throw closed();
}

/** The thread count in force, without starting the runtime. */
export function threads(): number {
  return runtime?.pool.threads ?? requestedThreads ?? threadsFromEnvironment();
}

export function setThreads(count: number): void {
  if (runtime?.inWorker || lanesWorkerData()) return; // inside a task, ops run on this thread
  if (runtime) runtime.pool.resize(count);
  else if (closedEarly) throw closed();
  else requestedThreads = count;
}

/** Closes the pool; a runtime not yet started never will be. */
export function closeRuntime(): void {
  if (lanesWorkerData()) return; // the pool belongs to the main thread
  if (runtime) runtime.pool.close();
  else closedEarly = true;
}

/**
 * On the main thread: a new memory, heap and pool. In a lanes worker (a task
 * that imports lanes): the main thread's memory and heap, and a pool of this
 * one thread, so that ops run inline here.
 */
function start(): Runtime {
  const worker = lanesWorkerData();
  const threads = worker ? 1 : (requestedThreads ?? threadsFromEnvironment());
  const module = worker?.module ?? kernelModule();
  const memory = new SharedMemory(worker?.memory);
  const exports = instantiate(module, memory.memory);
  const grow = (end: number) => memory.growTo(end);
  const cover = (end: number) => void memory.covering(end);
  let allocator: Allocator;
  if (worker) {
    allocator = Allocator.attach((worker.shared as SharedState).heap, grow, cover);
  } else {
    exports.writeConstants();
    allocator = new Allocator(exports.heapBase(), memory.byteLength, HEAP_LIMIT, grow, undefined, cover);
  }
  // A worker's runtime block, and the arrays its tasks make and do not
  // return, go when the worker does (the supervisor's heap recovery).
  const arrays = new Arrays(memory, allocator, worker !== undefined);
  const ownBlock = (bytes: number) => allocator.alloc(bytes, 0, worker !== undefined);
  const control = ownBlock(CONTROL_BYTES);
  memory.bytes.fill(0, control, control + CONTROL_BYTES);
  const kernelNames = allKernelNames(false);
  const kernelIndex = new Map(kernelNames.map((name, i) => [name, i]));
  const kernels = kernelTable(exports, kernelNames);
  let scratch = 0;
  if (!worker) {
    // A worker warmed its own instance of the same module when it started.
    scratch = allocator.alloc(WARM_BYTES);
    memory.bytes.fill(0, scratch, scratch + WARM_BYTES);
    warmKernels(kernels, scratch);
  }
  const shared: SharedState = { heap: allocator.state };
  const pool = new Pool({ module, memory: memory.memory, control, kernelNames, kernels, threads, scratch, extensions: [HEAP_RECOVERY, ...extensions], shared, trace: worker ? undefined : traceBuffer() });
  const ids = new Map<OpRow, Record<Dtype, KernelIds>>();
  for (const row of REGISTRY as readonly OpRow[]) {
    const forDtype = (dtype: 'f32' | 'f64'): KernelIds => {
      const index = (form: KernelForm) => kernelIndex.get(kernelName(row, dtype, form)) ?? -1;
      return { array: index('array'), scalar: index('scalar'), reversed: index('reversed'), total: index('total') };
    };
    ids.set(row, { float32: forDtype('f32'), float64: forDtype('f64') });
  }
  const kernelIds = (row: OpRow, dtype: Dtype) => ids.get(row)![dtype];
  return { memory, allocator, arrays, exports, kernelIndex, kernelIds, pool, inWorker: worker !== undefined, ownBlock };
}

/** LANES_THREADS if set (validated), else one thread per core. */
export function threadsFromEnvironment(): number {
  const text = process.env.LANES_THREADS;
  if (text === undefined || text === '') return Math.min(availableParallelism(), MAX_THREADS);
  const threads = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
  if (!(threads >= 1 && threads <= MAX_THREADS)) {
    throw new RangeError(`lanes: LANES_THREADS must be an integer from 1 to ${MAX_THREADS}, got '${text}'`);
  }
  return threads;
}
