// The functions an expression may call, derived from the op table: every
// elementwise row by its name with the arity of its kind, the reduction rows
// (sum, dot), and what the language adds itself: where, and one-argument
// min, max and mean. A new row of a known kind is callable with no change here.
import { REGISTRY, type OpRow } from '../ops/registry.js';

/** Arguments of each elementwise kind; kinds not listed are not callable. */
const ELEMENTWISE_ARITY: Partial<Record<string, number>> = { unary: 1, binary: 2, ternary: 3 };

export type ReductionOp = 'sum' | 'dot' | 'min' | 'max' | 'mean';

export type Callable =
  | { kind: 'elementwise'; row: OpRow; arity: number }
  | { kind: 'reduction'; op: ReductionOp; arity: number; row?: OpRow }
  | { kind: 'where'; arity: 3 };

const ROWS = REGISTRY as readonly OpRow[];

/** Every form a name may be called in (min and max: a reduction with one argument, elementwise with two). */
export const CALLABLES = new Map<string, Callable[]>();
const add = (name: string, callable: Callable) => CALLABLES.set(name, [...(CALLABLES.get(name) ?? []), callable]);
for (const row of ROWS) {
  const arity = ELEMENTWISE_ARITY[row.kind];
  if (arity !== undefined) add(row.name, { kind: 'elementwise', row, arity });
  if (row.kind === 'sum' || row.kind === 'dot') add(row.name, { kind: 'reduction', op: row.kind, arity: row.kind === 'sum' ? 1 : 2, row });
}
for (const op of ['min', 'max', 'mean'] as const) add(op, { kind: 'reduction', op, arity: 1 });
add('where', { kind: 'where', arity: 3 });

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
