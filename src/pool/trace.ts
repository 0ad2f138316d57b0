// A timeline of recent calls, for the dispatch benchmark (bench/dispatch.ts):
// where a call's time goes, between checking its arguments and returning.
// With LANES_TRACE=1 set when lanes starts, the caller and every worker stamp
// events into one SharedArrayBuffer, on one clock; without it (the default)
// there is no trace, and each stamp is a check of `undefined`.
//
// Layout (Float64Array): a header, then ROWS rows, one per call (call k in
// row k % ROWS): the caller's stamps, then each worker's. A worker learns the
// row of a job from SEQ_ROWS, which the caller fills when it publishes.

/** The caller's stamps, in the order they happen. Inline calls stamp no Published. */
export const Mark = {
  /** The op was called. */
  Enter: 0,
  /** Arguments checked (types, dtypes, lengths). */
  Checked: 1,
  /** Job planned and operands staged. */
  Prepared: 2,
  /** Job published and sleeping workers notified. */
  Published: 3,
  /** The caller has no more chunks to claim. */
  Claimed: 4,
  /** Every chunk is done. */
  Settled: 5,
  /** The op returns. */
  Returned: 6,
} as const;
export type Mark = (typeof Mark)[keyof typeof Mark];
const CALLER_MARKS = 8;

/** A worker's stamps: it saw the job, and it has no more chunks to claim. */
export const WorkerMark = { Seen: 0, Done: 1 } as const;
export type WorkerMark = (typeof WorkerMark)[keyof typeof WorkerMark];
/** Doubles per worker in a row: its marks on a cache line of their own, as the caller's are, so that stamps do not contend. */
const WORKER_STRIDE = 8;

/** Workers traced (the rest run untraced). */
export const TRACED_WORKERS = 15;
export const ROWS = 1024;
const ROW = CALLER_MARKS + TRACED_WORKERS * WORKER_STRIDE;
/** Header: the caller's clock base, the current call, then the row of each recent SEQ. */
const BASE = 0;
const CALL = 1;
const SEQ_ROWS = 8;
/** Rows start on a cache line (the buffer itself does). */
const HEADER = SEQ_ROWS + ROWS;

/** A shared buffer for a trace if LANES_TRACE=1, else undefined. */
export function traceBuffer(): SharedArrayBuffer | undefined {
  return process.env.LANES_TRACE === '1' ? new SharedArrayBuffer((HEADER + ROWS * ROW) * 8) : undefined;
}

/**
 * The process-wide monotonic clock minus this thread's performance.now(),
 * which counts from the thread's own start. It is read at first use, not at
 * start-up (in the first moments of a thread the difference still moves),
 * and as the largest of several readings: a pause between the two clock
 * reads only makes one smaller.
 */
function clockBase(): number {
  let base = -Infinity;
  for (let i = 0; i < 20; i++) base = Math.max(base, Number(process.hrtime.bigint()) / 1e6 - performance.now());
  return base;
}

export class Trace {
  private readonly f64: Float64Array;
  /** Added to this thread's performance.now() to read the caller's (known once the caller's first call has begun). */
  private offset = NaN;

  /** @param thread 0 for the caller, k + 1 for worker k */
  constructor(buffer: SharedArrayBuffer, private readonly thread: number) {
    this.f64 = new Float64Array(buffer);
  }

  // The caller's side.

  /** A new call: clears its row and stamps Enter. */
  enter(): void {
    if (this.f64[BASE] === 0) this.f64[BASE] = clockBase();
    const call = ++this.f64[CALL];
    this.f64.fill(NaN, this.rowOf(call), this.rowOf(call) + ROW);
    this.mark(Mark.Enter);
  }

  mark(mark: Mark): void {
    this.f64[this.rowOf(this.f64[CALL]) + mark] = performance.now();
  }

  /** Job `seq` is the current call's: workers stamp its row. */
  publish(seq: number): void {
    this.f64[SEQ_ROWS + ((seq >> 1) % ROWS)] = this.f64[CALL];
  }

  // A worker's side.

  workerMark(seq: number, mark: WorkerMark): void {
    const worker = this.thread - 1;
    if (worker >= TRACED_WORKERS) return;
    if (Number.isNaN(this.offset)) this.offset = clockBase() - this.f64[BASE];
    const row = this.rowOf(this.f64[SEQ_ROWS + ((seq >> 1) % ROWS)]);
    this.f64[row + CALLER_MARKS + worker * WORKER_STRIDE + mark] = performance.now() + this.offset;
  }

  // The reader's side (the benchmark, on the caller's thread).

  /** The current call's number: calls since the trace started. */
  get calls(): number {
    return this.f64[CALL];
  }

  /** Call `call`'s stamps (ms on the caller's clock, NaN where none): the caller's, and each worker's. */
  row(call: number): { caller: number[]; workers: number[][] } {
    const row = this.rowOf(call);
    const caller = [...this.f64.subarray(row, row + CALLER_MARKS)];
    const workers = Array.from({ length: TRACED_WORKERS }, (_, k) => {
      const at = row + CALLER_MARKS + k * WORKER_STRIDE;
      return [this.f64[at + WorkerMark.Seen], this.f64[at + WorkerMark.Done]];
    });
    return { caller, workers };
  }

  private rowOf(call: number): number {
    return HEADER + (call % ROWS) * ROW;
  }
}
