// The kernel ABI (docs/abi.md) against the op table: read by the ABI's rules
// (src/ops/abi.ts), lanes' own module defines exactly the op table's ops, of
// the table's kinds, in the forms the table names; and docs/abi.md states the
// signatures those rules expect.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { reductionKinds } from '../bin/lanes-build.mjs';
import { expectedSignature, readAbi } from '../src/ops/abi.js';
import { kernelName, REGISTRY, type OpRow } from '../src/ops/registry.js';
import { formatSignature, readModule } from '../src/wasm/reader.js';

const bytes = readFileSync(new URL('../build/lanes.wasm', import.meta.url));
const info = readModule(bytes);
const names = info.exports.map((e) => e.name);
/**
 * Not op kernels: the start-up exports; and the ternary ops' and scans'
 * kernels, kinds the ABI for user modules does not have (lanes.load reads
 * only unary, binary and reduction kernels).
 */
const OTHER_KINDS = (REGISTRY as readonly OpRow[]).filter((row) => row.kind === 'ternary' || row.kind === 'scan');
const IGNORE = ['heapBase', 'writeConstants', ...OTHER_KINDS.flatMap((row) => (['f32', 'f64'] as const).flatMap((t) => [false, true].flatMap((s) => [kernelName(row, t, 'array', s), kernelName(row, t, row.kind === 'scan' ? 'total' : 'scalar', s)])))];

describe('the ABI', () => {
  const kinds = reductionKinds(bytes, names);
  const ops = new Map(readAbi('test', info, kinds, IGNORE).map((op) => [op.name, op]));

  for (const row of (REGISTRY as readonly OpRow[]).filter((r) => !OTHER_KINDS.includes(r))) {
    it(`reads ${row.name} from lanes' own module as the op table has it`, () => {
      const op = ops.get(row.kernel);
      expect(op?.kind).toBe(row.kind);
      for (const dtype of ['f32', 'f64'] as const) {
        const set = op!.kernels[dtype]!;
        expect(set.array).toBe(kernelName(row, dtype));
        if (row.kind === 'binary') {
          expect(set.scalar).toBe(kernelName(row, dtype, 'scalar'));
          expect(set.reversed).toBe(row.reversed ? kernelName(row, dtype, 'reversed') : undefined);
        }
      }
    });
  }

  it('finds the kinds of reductions by running them: sum reads one array, dot two', () => {
    // (cumsum's chunk sums, its first pass, read one array too.)
    expect(kinds).toEqual({ rsum_f32: 'sum', rsum_f64: 'sum', rdot_f32: 'dot', rdot_f64: 'dot', rcumsum_f32: 'sum', rcumsum_f64: 'sum' });
  });

  it('docs/abi.md states the signatures the rules expect', () => {
    const doc = readFileSync(new URL('../docs/abi.md', import.meta.url), 'utf8');
    for (const kind of ['unary', 'binary', 'number', 'reduction'] as const) {
      for (const dtype of ['f32', 'f64'] as const) expect(doc).toContain(formatSignature(expectedSignature(kind, dtype)));
    }
    for (const form of ['v<op>_<dtype>(a: usize, b: usize, out: usize, n: i32): void', 'v<op>c_<dtype>(a: usize, c: <dtype>, out: usize, n: i32): void', 'vr<op>c_<dtype>', 'v<op>_<dtype>(a: usize, out: usize, n: i32): void', 'r<op>_<dtype>(a: usize, b: usize, n: i32): f64', 'lanes-kinds']) {
      expect(doc).toContain(form);
    }
  });
});
