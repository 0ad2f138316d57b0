import type { ProgramEntry } from './program.js';
import { isMainThread, Worker, workerData } from 'node:worker_threads';

/** What each worker is started with. */
export interface WorkerData {
  /** Marks a lanes worker's workerData. */
  lanesWorker: true;
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /** Byte offset of the control block. */
  control: number;
  kernelNames: string[];
  /** This worker's index k: its slot is STATE + k. */
  index: number;
  /** How long an idle worker polls for the next job before it sleeps. */
  spinMicros: number;
  /** Byte offset of WARM_BYTES of scratch for the warm-up. */
  scratch: number;
  /** Program modules loaded before this worker started (program.ts). */
  programs: [number, ProgramEntry][];
  /** URLs of extension modules (extension.ts). */
  extensions: string[];
  /** The pool owner's PoolOptions.shared. */
  shared: unknown;
  /** The pool's trace buffer, if it traces calls (trace.ts). */
  trace?: SharedArrayBuffer;
}

/** In a lanes worker thread (or code it loads), what the worker was started with; else undefined. */
export function lanesWorkerData(): WorkerData | undefined {
  if (isMainThread) return undefined;
  const data = workerData as Partial<WorkerData> | undefined;
  return data?.lanesWorker === true && typeof data.index === 'number' ? (data as WorkerData) : undefined;
}

/** Flags that only make sense for an entry script, as in `node --input-type=module -e …`. */
const ENTRY_SCRIPT_FLAG = /^--(input-type|eval|print)\b|^-[ep]$/;

/**
 * Starts a worker thread on one of lanes' own modules. It inherits the
 * process's flags, as Node's default does, except those for an entry script,
 * which would stop it from starting. Flags a worker may not take (such as
 * --expose-gc) are dropped only when the list is given explicitly.
 */
export function startThread(file: URL, workerData: unknown): Worker {
  if (!process.execArgv.some((flag) => ENTRY_SCRIPT_FLAG.test(flag))) return new Worker(file, { workerData });
  let execArgv = process.execArgv.filter((flag) => !ENTRY_SCRIPT_FLAG.test(flag));
  try {
    return new Worker(file, { workerData, execArgv });
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw error;
    // "Initiated Worker with invalid execArgv flags: --a, --b"
    const invalid = new Set((error as Error).message.split(': ').pop()!.split(/,\s*/));
    execArgv = execArgv.filter((flag) => !invalid.has(flag) && !invalid.has(flag.split('=')[0]));
    return new Worker(file, { workerData, execArgv });
  }
}
