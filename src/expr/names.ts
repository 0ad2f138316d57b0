// The functions an expression may call, derived from the op table: every
// elementwise row by its name with the arity of its kind, the reduction rows
// (sum, dot), and what the language adds itself: where, and one-argument
// min, max, mean and prod. A new row of a known kind is callable with no change here.
// Ops loaded with lanes.load are callable too, by their names, unless the
// language has the name already.
import { loadedRows } from '../dispatch/load.js';
import { REGISTRY, type OpRow } from '../ops/registry.js';

/** Arguments of each elementwise kind; kinds not listed are not callable. */
const ELEMENTWISE_ARITY: Partial<Record<string, number>> = { unary: 1, binary: 2, ternary: 3 };

/** The language's reductions, and `first`, which only lanes' own functions build (argmin, argmax). */
export type ReductionOp = 'sum' | 'dot' | 'min' | 'max' | 'mean' | 'prod' | 'first';

export type Callable =
  | { kind: 'elementwise'; row: OpRow; arity: number }
  | { kind: 'reduction'; op: ReductionOp; arity: number; row?: OpRow }
  | { kind: 'where'; arity: 3 };

const ROWS = REGISTRY as readonly OpRow[];

/** The forms of a row: elementwise with its kind's arity, or a reduction (sum: one array, dot: two). */
function formsOf(row: OpRow): Callable[] {
  const arity = ELEMENTWISE_ARITY[row.kind];
  if (arity !== undefined) return [{ kind: 'elementwise', row, arity }];
  if (row.kind === 'sum' || row.kind === 'dot') return [{ kind: 'reduction', op: row.kind, arity: row.kind === 'sum' ? 1 : 2, row }];
  return [];
}

/** Every form a name of the language may be called in (min and max: a reduction with one argument, elementwise with two). */
const BUILT_IN = new Map<string, Callable[]>();
const add = (name: string, callable: Callable) => BUILT_IN.set(name, [...(BUILT_IN.get(name) ?? []), callable]);
for (const row of ROWS) for (const form of formsOf(row)) add(row.name, form);
for (const op of ['min', 'max', 'mean', 'prod'] as const) add(op, { kind: 'reduction', op, arity: 1 });
add('where', { kind: 'where', arity: 3 });

/** The forms `name` may be called in: the language's own, else a loaded op's; undefined if neither. */
export function callable(name: string): Callable[] | undefined {
  const own = BUILT_IN.get(name);
  if (own) return own;
  const row = loadedRows().get(name);
  return row ? formsOf(row) : undefined;
}

/** Every callable name, for suggestions. */
export function callableNames(): string[] {
  return [...BUILT_IN.keys(), ...loadedRows().keys()];
}

/** The op-table row an operator stands for, if the table has it (`**` needs a row named pow). */
export function operatorRow(name: string): OpRow | undefined {
  return ROWS.find((row) => row.name === name && ELEMENTWISE_ARITY[row.kind] === 2);
}

/** The unary row named `name` (neg, for unary minus). */
export function unaryRow(name: string): OpRow | undefined {
  return ROWS.find((row) => row.name === name && row.kind === 'unary');
}

/** The candidate nearest to `name` by edit distance, if it is near enough to be a likely typo. */
export function nearest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return bestDistance <= Math.max(1, Math.min(3, Math.floor(name.length / 2))) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length];
}
