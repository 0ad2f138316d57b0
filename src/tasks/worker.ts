// The tasks' side of each worker (a pool extension, see pool/extension.ts):
// it loads the registered task modules, takes units from the queues and runs
// them; and, in the supervisor, fails the unit of a worker that died.
import { getRuntime } from '../dispatch/runtime.js';
import { KERNEL_WORKERS } from '../pool/control.js';
import type { ExtensionContext, WorkerExit, WorkerExtension } from '../pool/extension.js';
import * as L from './layout.js';
import { readBlock, runUnit, thrownRecord, writeBlock, type ListedTask, type Runner, type TaskFunction } from './run.js';

export async function startWorker(context: ExtensionContext): Promise<WorkerExtension> {
  // lanes starts here only once there are tasks: until then this worker allocates nothing.
  let runner: Runner | undefined;
  const runnerFor = (region: Int32Array): Runner => (runner ??= { arrays: getRuntime().arrays, fns: [], loadErrors: [], index: context.index, region, blocking: false });
  let region = L.regionOf(context.memory, context.control);

  /** Loads the tasks registered since the last look, then acknowledges. */
  async function load(region: Int32Array): Promise<void> {
    const runner = runnerFor(region);
    const { arrays } = runner;
    const version = Atomics.load(region, L.VERSION);
    const list = readBlock<ListedTask[]>(arrays, Atomics.load(region, L.LIST) >>> 0).slice(0, version);
    for (let id = runner.fns.length; id < list.length; id++) {
      const { url, exportName } = list[id];
      try {
        const fn = ((await import(url)) as Record<string, unknown>)[exportName];
        if (typeof fn !== 'function') throw new TypeError(`its export '${exportName}' is ${typeof fn}, not a function`);
        runner.fns[id] = fn as TaskFunction;
      } catch (error) {
        runner.fns[id] = undefined;
        const record = thrownRecord(error, id, 'load');
        runner.loadErrors[id] = `${record.name}: ${record.message}`;
        const previous = Atomics.exchange(region, L.LOAD_ERROR + context.index, writeBlock(arrays, { id, ...record }));
        if (previous !== 0) arrays.allocator.free(previous >>> 0);
      }
    }
    Atomics.store(region, L.ACK + context.index, runner.fns.length);
    L.completed(region);
  }

  if (region) await load(region);
  return {
    poll() {
      region = L.regionOf(context.memory, context.control, region);
      if (!region) return false;
      if (Atomics.load(region, L.VERSION) !== (runner?.fns.length ?? 0)) return load(region);
      if (!runner) return false;
      const regular = context.index < Atomics.load(context.control, KERNEL_WORKERS);
      const unit = (regular ? L.pop(region, 'sync') : 0) || L.pop(region, 'async');
      if (unit === 0) return false;
      return runUnit(runner, unit);
    },
  };
}

/** In the supervisor: worker `index` exited; if it was running a unit, that unit died with it. */
export function workerExited(context: ExtensionContext, { index, code, outOfMemory }: WorkerExit): void {
  const region = L.regionOf(context.memory, context.control);
  if (!region || index < 0) return;
  Atomics.store(region, L.ACK + index, -1);
  const unit = Atomics.exchange(region, L.RUNNING + index, 0) >>> 0;
  const u = unit === 0 ? undefined : new Int32Array(context.memory.buffer, unit, L.UNIT_HEADER_BYTES / 4);
  if (u && Atomics.load(u, L.U_WORKER) === index + 1) {
    u[L.U_CODE] = code;
    u[L.U_OUT_OF_MEMORY] = outOfMemory ? 1 : 0;
    if (Atomics.compareExchange(u, L.U_STATUS, L.Status.Running, L.Status.Died) !== L.Status.Running) {
      Atomics.compareExchange(u, L.U_STATUS, L.Status.Queued, L.Status.Died);
    }
  }
  L.completed(region);
}
