// The caller's side of tasks: the registered tasks, and work units from
// creation to result. Units go to the shared queues (workers take them, a
// blocking caller too), or, on one thread and inside a task, run right here.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { getRuntime, type Runtime } from '../dispatch/runtime.js';
import { AbortError, closed } from '../errors.js';
import { keepAlive } from '../pool/alive.js';
import * as C from '../pool/control.js';
import { asNumbers, encode, write, type Encoded } from './codec.js';
import * as L from './layout.js';
import { header, readBlock, readOutcome, runUnit, writeBlock, type Runner, type TaskFunction, type ThrownRecord } from './run.js';

/** A safety net for waits: look again this often even without a wake-up. */
const WAIT_MS = 50;
/** task() waits at most this long for every worker to load a new task. */
const LOAD_TIMEOUT_MS = 30_000;

/** A user function that lanes can run on every thread: from lanes.task(). */
export class Task {
  /** @internal */
  readonly id: number;
  readonly url: string;
  readonly exportName: string;
  /** @internal Whether it is an async function (a blocking caller never runs it itself). */
  readonly async: boolean;

  constructor(id: number, url: string, exportName: string, fn: TaskFunction) {
    this.id = id;
    this.url = url;
    this.exportName = exportName;
    this.async = fn.constructor?.name === 'AsyncFunction';
    Object.freeze(this);
  }

  /** How messages name it. */
  get label(): string {
    return `'${this.exportName}' of ${this.url}`;
  }
}

/** A unit in flight: its block, its header, and the pins its arguments hold. */
export interface Unit {
  at: number;
  u: Int32Array;
  pins: number[];
  first: number;
  /** Its block is one of the host's small blocks, kept for the next unit while calls run. */
  small: boolean;
}

/**
 * The size of a small unit's block (a few items and room for their results):
 * while calls run, the host keeps those blocks for the next units instead
 * of freeing and allocating them again, which took a third of a one-item
 * unit's time (the allocator keeps its lists sorted).
 */
const SMALL_UNIT_BYTES = 256;

/** What a unit's end gave: its results, and if one of its items failed, why. */
export interface Taken {
  results: unknown[];
  failure?: { kind: 'threw'; thrown: ThrownRecord } | { kind: 'died'; index: number; worker: number; code: number; outOfMemory: boolean };
}

export class Host {
  private readonly region?: Int32Array;
  private readonly tasks: Task[] = [];
  private readonly fns: (TaskFunction | undefined)[] = [];
  private readonly blocking: Runner;
  private readonly nonBlocking: Runner;
  /** Small unit blocks to reuse, while calls run (begin/end). */
  private smallBlocks: number[] = [];
  private calls = 0;
  /** Whether units were queued for spares since the last flush (else only kernel workers need waking). */
  private forSpares = false;
  /** Units waiting for room in their queue. */
  private overflow: [Unit, L.Queue][] = [];
  /** Units that run on this thread (one thread, or inside a task). */
  private inline: Unit[] = [];
  /** Abandoned units (aborted or failed calls): freed once they end. */
  private graveyard: Unit[] = [];
  /** Sweeps the graveyard while it holds units, even if no further call comes (unref'd). */
  private sweeper?: NodeJS.Timeout;

  constructor(readonly rt: Runtime) {
    const { arrays } = rt;
    if (!rt.inWorker) {
      const at = rt.allocator.alloc(L.REGION_BYTES);
      new Uint8Array(rt.memory.covering(at + L.REGION_BYTES), at, L.REGION_BYTES).fill(0);
      this.region = new Int32Array(rt.memory.buffer, at, L.REGION_BYTES / 4);
      Atomics.store(rt.pool.controlBlock, L.REGION_SLOT, at);
      // The promise API's tasks run on `threads` workers, none on the caller.
      rt.pool.reserve(1);
    }
    const runner = { arrays, fns: this.fns, loadErrors: [], index: -1, region: this.region };
    this.blocking = { ...runner, blocking: true };
    this.nonBlocking = { ...runner, blocking: false };
  }

  find(url: string, exportName: string): Task | undefined {
    return this.tasks.find((t) => t.url === url && t.exportName === exportName);
  }

  /** Registers a loaded task; workers load it when they next look (new ones when they start). */
  register(url: string, exportName: string, fn: TaskFunction): Task {
    const task = new Task(this.tasks.length, url, exportName, fn);
    this.tasks.push(task);
    this.fns.push(fn);
    if (this.region) {
      const list = writeBlock(this.rt.arrays, this.tasks.map((t) => ({ url: t.url, exportName: t.exportName })));
      Atomics.store(this.region, L.LIST, list);
      Atomics.store(this.region, L.VERSION, this.tasks.length);
      C.ring(this.rt.pool.controlBlock);
    }
    return task;
  }

  /** Waits until every worker has loaded `task`; throws the first load failure a worker reported. */
  async loaded(task: Task): Promise<void> {
    const region = this.region;
    if (!region) return;
    const until = performance.now() + LOAD_TIMEOUT_MS;
    for (;;) {
      const workers = this.rt.pool.threads > 1 ? this.rt.pool.workers : 0;
      for (let k = 0; k < workers; k++) {
        const at = Atomics.load(region, L.LOAD_ERROR + k) >>> 0;
        if (at === 0) continue;
        const record = readBlock<ThrownRecord & { id: number }>(this.rt.arrays, at);
        if (record.id !== task.id) continue;
        const cause = Object.assign(new Error(record.message), { name: record.name, stack: record.stack });
        throw Object.assign(new Error(`in worker thread ${k + 1}`), { cause, worker: k });
      }
      let pending = false;
      for (let k = 0; k < workers; k++) if (Atomics.load(region, L.ACK + k) <= task.id) pending = true;
      if (!pending || this.rt.pool.closed || performance.now() > until) return;
      const c = Atomics.load(region, L.COMPLETIONS);
      const wait = Atomics.waitAsync(region, L.COMPLETIONS, c, 10);
      if (wait.async) await keepAlive(wait.value, 10);
    }
  }

  /** Whether units go to the workers (else they run on this thread). */
  private get workers(): boolean {
    return this.region !== undefined && this.rt.pool.threads > 1;
  }

  /** Writes a unit of `value` and queues it; `async`: for the promise API. */
  submit(fn: string, task: Task, kind: L.Kind, value: unknown, first: number, end: number, async: boolean): Unit {
    const pins: number[] = [];
    let bytes: Encoded;
    try {
      // A map unit's items are a slice lanes made.
      bytes = (kind === L.Kind.Map && asNumbers(value as unknown[], false)) || encode(this.rt.arrays, value, { mode: 'pin', pins }, fn);
    } catch (error) {
      for (const p of pins) this.rt.arrays.unpin(p);
      if (error instanceof TypeError) throw error;
      throw new TypeError(`lanes.${fn}: cannot pass this value to a task: ${(error as Error).message}`, { cause: error });
    }
    const payload = (bytes.byteLength + 7) & ~7; // the room starts 8-aligned, for the numbers format
    const small = L.UNIT_HEADER_BYTES + payload + L.ROOM_MIN_BYTES <= SMALL_UNIT_BYTES;
    const room = small ? SMALL_UNIT_BYTES - L.UNIT_HEADER_BYTES - payload : Math.min(L.ROOM_MAX_BYTES, Math.max(L.ROOM_MIN_BYTES, payload));
    const at = (small && this.smallBlocks.pop()) || this.rt.allocator.alloc(L.UNIT_HEADER_BYTES + payload + room);
    write(this.rt.arrays, bytes, at + L.UNIT_HEADER_BYTES);
    const u = header(this.rt.arrays, at);
    u.fill(0);
    u[L.U_ROOM] = at + L.UNIT_HEADER_BYTES + payload;
    u[L.U_ROOM_BYTES] = room;
    u[L.U_TASK] = task.id;
    u[L.U_KIND] = kind;
    u[L.U_FIRST] = first;
    u[L.U_END] = end;
    u[L.U_PAYLOAD_BYTES] = bytes.byteLength;
    const unit: Unit = { at, u, pins, first, small };
    if (!this.workers) this.inline.push(unit);
    else {
      // A blocking caller runs units of the sync queue itself, but cannot wait for an async task's promise.
      const queue: L.Queue = async || task.async ? 'async' : 'sync';
      if (this.overflow.length > 0 || !L.push(this.region!, queue, at)) this.overflow.push([unit, queue]);
      else if (queue === 'async') this.forSpares = true;
    }
    return unit;
  }

  /** A call starts: small unit blocks are kept for reuse until the last call running ends. */
  begin(): void {
    this.calls++;
  }

  end(): void {
    if (--this.calls > 0) return;
    for (const at of this.smallBlocks) this.rt.allocator.free(at);
    this.smallBlocks = [];
  }

  /**
   * Wakes idle workers after units were queued. Spares sleep through the
   * blocking API's units, which they never take: waking one per unit would
   * cost a futex call each and a thread spinning for nothing.
   */
  flush(): void {
    if (!this.workers) return;
    const control = this.rt.pool.controlBlock;
    Atomics.add(control, C.DOORBELL, 1);
    const spares = this.forSpares ? Atomics.load(control, C.SPARE_SLEEPERS) : 0;
    this.forSpares = false;
    if (spares + Atomics.load(control, C.SLEEPERS) > 0) Atomics.notify(control, C.DOORBELL);
  }

  ended(unit: Unit): boolean {
    return Atomics.load(unit.u, L.U_STATUS) >= L.Status.Done;
  }

  /** The outcome of an ended unit; frees it. */
  take(unit: Unit): Taken {
    const { u, at } = unit;
    const status = Atomics.load(u, L.U_STATUS);
    let taken: Taken = { results: [] };
    try {
      if (status === L.Status.Done || status === L.Status.Threw) {
        const [results, thrown] = readOutcome(this.rt.arrays, u);
        taken = { results, failure: thrown ? { kind: 'threw', thrown } : undefined };
      } else if (status === L.Status.Died) {
        taken = { results: [], failure: { kind: 'died', index: u[L.U_FIRST] + u[L.U_PROGRESS], worker: u[L.U_WORKER] - 1, code: u[L.U_CODE], outOfMemory: u[L.U_OUT_OF_MEMORY] === 1 } };
      }
    } finally {
      if (u[L.U_RESULT] !== 0 && u[L.U_RESULT] !== u[L.U_ROOM]) this.rt.allocator.free(u[L.U_RESULT] >>> 0);
      if (unit.small && this.calls > 0) this.smallBlocks.push(at);
      else this.rt.allocator.free(at);
      for (const p of unit.pins) this.rt.arrays.unpin(p);
    }
    return taken;
  }

  /** Gives up on units (their call failed or was aborted): those not started never start. */
  abandon(units: Iterable<Unit>): void {
    for (const unit of units) {
      const i = this.inline.indexOf(unit);
      const o = this.overflow.findIndex(([x]) => x === unit);
      if (i >= 0) this.inline.splice(i, 1);
      if (o >= 0) this.overflow.splice(o, 1);
      if (i >= 0 || o >= 0) {
        Atomics.store(unit.u, L.U_STATUS, L.Status.Skipped);
      } else {
        Atomics.store(unit.u, L.U_CANCELLED, 1);
      }
      this.graveyard.push(unit);
    }
    this.sweep();
  }

  private sweep(): void {
    if (this.graveyard.length > 0) {
      this.graveyard = this.graveyard.filter((unit) => {
        if (!this.ended(unit)) return true;
        this.take(unit);
        return false;
      });
    }
    if (this.graveyard.length === 0 || this.rt.pool.closed) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
    } else {
      this.sweeper ??= setInterval(() => this.sweep(), WAIT_MS).unref();
    }
  }

  private pump(): void {
    let pushed = false;
    while (this.overflow.length > 0 && L.push(this.region!, this.overflow[0][1], this.overflow[0][0].at)) {
      if (this.overflow.shift()![1] === 'async') this.forSpares = true;
      pushed = true;
    }
    if (pushed) this.flush();
  }

  /** Moves the queues along (pump, sweep) before a wait: the region, and the completion count to wait on. */
  private beforeWait(): [Int32Array, number] {
    const region = this.region;
    if (!region) throw new Error('lanes: internal error: a unit is neither queued nor running');
    this.pump();
    this.sweep();
    return [region, Atomics.load(region, L.COMPLETIONS)];
  }

  /** Blocks until done() (which may throw); this thread runs queued units meanwhile. */
  waitSync(done: () => boolean): void {
    for (;;) {
      if (this.rt.pool.closed) throw closed();
      if (done()) return;
      const unit = this.inline.shift();
      if (unit) {
        runUnit(this.blocking, unit.at);
        continue;
      }
      const [region, c] = this.beforeWait();
      if (done()) return;
      const queued = L.pop(region, 'sync');
      if (queued !== 0) runUnit(this.blocking, queued);
      else Atomics.wait(region, L.COMPLETIONS, c, WAIT_MS);
    }
  }

  /** Resolves once done() (which may throw); rejects on abort or close. The event loop stays free. */
  async waitAsync(done: () => boolean, signal?: AbortSignal): Promise<void> {
    for (;;) {
      if (this.rt.pool.closed) throw closed();
      if (signal?.aborted) throw new AbortError(signal.reason);
      if (done()) return;
      const unit = this.inline.shift();
      if (unit) {
        const ran = runUnit(this.nonBlocking, unit.at);
        if (ran !== true) await ran;
        await nextTurn();
        continue;
      }
      const [region, c] = this.beforeWait();
      if (done()) return;
      const wait = Atomics.waitAsync(region, L.COMPLETIONS, c, WAIT_MS);
      if (wait.async) await keepAlive(wait.value, WAIT_MS, signal);
    }
  }
}


let host: Host | undefined;

/** This thread's host, created on first use. */
export function getHost(): Host {
  const rt = getRuntime();
  if (host?.rt !== rt) host = new Host(rt);
  return host;
}
