import { Worker } from 'node:worker_threads';

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
