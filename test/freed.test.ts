// Use after free: a freed array, and any other view that lies in released
// memory, is refused with a TypeError naming the argument, in every operand
// position of every op, sync and async; views of live arrays are accepted.
// Memory that a pending promise call uses is not handed to another array
// before the call settles, even if it is freed in the meantime.
import * as lanes from 'lanes';
import * as lanesAsync from 'lanes/promises';
import { describe, expect, it } from 'vitest';
import { REGISTRY, type OpRow } from '../src/ops/registry.js';
import { getRuntime } from './support/internals.js';
import { openLedger } from './support/ledger.js';
import { arity, expectedElementwise, operandNames, reductionOk } from './support/reference.js';

const N = 37;
const message = (fn: string, arg: string) => `lanes.${fn}: '${arg}' refers to memory released by lanes.free`;
type AnyFn = (...args: unknown[]) => unknown;

/**
 * Ways to hold a view of released memory. Each frees its block last, after
 * the call's other operands exist, so that no allocation takes the block back.
 */
const FREED_VIEWS: Record<string, () => Float64Array> = {
  'the freed array': () => {
    const a = lanes.empty(N);
    lanes.free(a);
    return a as Float64Array;
  },
  'a subarray taken before the free': () => {
    const a = lanes.empty(N + 4);
    const view = a.subarray(1, N + 1);
    lanes.free(a);
    return view as Float64Array;
  },
  'a subarray taken after the free': () => {
    const a = lanes.empty(N + 4);
    lanes.free(a);
    return a.subarray(3, N + 3) as Float64Array;
  },
  'a new view over the freed block': () => {
    const a = lanes.empty(N);
    lanes.free(a);
    return new Float64Array(a.buffer, a.byteOffset, N);
  },
};

/** The operand positions of a row: its operands, and out if it takes one. */
function positions(row: OpRow): string[] {
  return [...operandNames(row), ...(row.kind === 'sum' || row.kind === 'dot' ? [] : ['out'])];
}

async function outcome(call: () => unknown): Promise<unknown> {
  try {
    return await call();
  } catch (error) {
    return error;
  }
}

describe('a view of released memory is refused', () => {
  for (const row of REGISTRY as readonly OpRow[]) {
    for (const [api, fns] of [['sync', lanes], ['async', lanesAsync]] as const) {
      it(`${row.name} (${api}): in each position, however the view was made`, async () => {
        const rt = getRuntime();
        for (const [how, freedView] of Object.entries(FREED_VIEWS)) {
          for (const position of positions(row)) {
            const out = lanes.empty(N).fill(7);
            const args: unknown[] = positions(row).map((p) => (p === 'out' ? out : lanes.from(new Float64Array(N).fill(2))));
            args[positions(row).indexOf(position)] = freedView();
            const ledger = openLedger(rt.allocator);
            const error = (await outcome(() => (fns[row.name] as AnyFn)(...args))) as Error;
            ledger.close();
            expect(error, `${how} as '${position}'`).toBeInstanceOf(TypeError);
            expect(error.message).toBe(message(row.name, position));
            expect(out.every((x) => x === 7)).toBe(true); // nothing written
            expect(ledger.blocks).toBe(0); // nothing left allocated
          }
        }
      });
    }
  }

  it('by from(), whose operand is named source', () => {
    expect(() => lanes.from(FREED_VIEWS['a subarray taken before the free']())).toThrow(new TypeError(message('from', 'source')));
  });
});

describe('views of live arrays are accepted', () => {
  for (const row of (REGISTRY as readonly OpRow[]).filter((r) => r.exact || r.kind === 'sum' || r.kind === 'dot')) {
    it(`${row.name}: subarrays and new views of a live array as a, b and out`, () => {
      const xs = Array.from({ length: N }, (_, i) => i - 11.5);
      const ys = Array.from({ length: N }, (_, i) => 0.25 * i + 1);
      const x = lanes.from([0, ...xs, 0]);
      const y = lanes.from([...ys, 0, 0]);
      const a = x.subarray(1, N + 1);
      const b = new Float64Array(y.buffer, y.byteOffset, N);
      const fn = lanes[row.name] as AnyFn;
      if (row.kind === 'sum' || row.kind === 'dot') {
        expect(reductionOk(row.kind, 'float64', fn(a, b) as number, xs, ys)).toBe(true);
        return;
      }
      const out = lanes.empty(N + 5).subarray(2, N + 2);
      expect(fn(...[a, b, b].slice(0, arity(row)), out)).toBe(out);
      expect(Array.from(out)).toEqual(expectedElementwise(row, 'float64', ...[xs, ys, ys].slice(0, arity(row))));
    });
  }

  it('an empty view is accepted wherever it lies: it reads and writes nothing', () => {
    const a = FREED_VIEWS['a subarray taken before the free']().subarray(0, 0);
    expect(lanes.sum(a)).toBe(0);
    expect(lanes.exp(a).length).toBe(0);
  });
});

// Calls remember the views they found live, until some block is released
// (Arrays.residence): a view that calls used while it was live is refused
// once its block is freed, whichever view the free came through.
describe('a view that calls used while live is refused once its block is freed', () => {
  const USED_THEN_FREED: Record<string, () => { view: Float64Array; free: () => void }> = {
    'the array itself': () => {
      const a = lanes.empty(N) as Float64Array;
      return { view: a, free: () => lanes.free(a) };
    },
    'a subarray, its array freed': () => {
      const a = lanes.empty(N + 4);
      return { view: a.subarray(2, N + 2) as Float64Array, free: () => lanes.free(a) };
    },
    'a new view over the block, its array freed': () => {
      const a = lanes.empty(N);
      return { view: new Float64Array(a.buffer, a.byteOffset, N), free: () => lanes.free(a) };
    },
  };
  for (const [name, make] of Object.entries(USED_THEN_FREED)) {
    it(name, () => {
      const { view, free } = make();
      const out = lanes.empty(N);
      for (let i = 0; i < 3; i++) expect(lanes.neg(view, out)).toBe(out);
      expect(lanes.sum(view)).toBe(0);
      free();
      expect(() => lanes.neg(view, out)).toThrow(new TypeError(message('neg', 'a')));
      expect(() => lanes.sum(view)).toThrow(new TypeError(message('sum', 'a')));
      expect(() => lanes.neg(out, view)).toThrow(new TypeError(message('neg', 'out')));
      lanes.free(out);
    });
  }
});

describe('free() while a promise call uses the array', () => {
  const M = 2_000_000; // long enough that the call is still queued or running when free() comes
  for (const threads of [1, 2]) {
    for (const freed of ['out', 'a'] as const) {
      it(`(${threads} thread${threads > 1 ? 's' : ''}): freeing '${freed}' does not hand its memory to a new array before the call settles`, async () => {
        lanes.configure({ threads });
        await getRuntime().pool.ready();
        const rt = getRuntime();
        const ledger = openLedger(rt.allocator);
        const a = lanes.empty(M).fill(1);
        const out = lanes.empty(M).fill(-1);
        const pending = lanesAsync.exp(a, out);
        lanes.free(freed === 'out' ? out : a);
        // A later call refuses the freed array, and views of it, at once.
        const dead = freed === 'out' ? out : a;
        await expect(lanesAsync.sum(dead)).rejects.toThrow(new TypeError(message('sum', 'a')));
        expect(() => lanes.neg(dead.subarray(5))).toThrow(new TypeError(message('neg', 'a')));
        // A new array of the same size must not take the block while the call runs.
        const bystander = lanes.empty(M).fill(7);
        await pending;
        expect(bystander.every((x) => x === 7)).toBe(true);
        if (freed === 'a') expect(out.every((x) => x === Math.E)).toBe(true);
        // Once the call has settled, the freed block is released.
        lanes.free(bystander);
        lanes.free(freed === 'out' ? a : out);
        ledger.close();
        expect(ledger.blocks).toBe(0);
      });
    }
  }
});
