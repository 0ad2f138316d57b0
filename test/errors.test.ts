// Every error lanes raises: its class and its exact message. A call that
// fails changes nothing: out keeps its contents and no memory stays allocated.
import * as lanes from 'lanes';
import { describe, expect, it } from 'vitest';
import { getRuntime } from './support/internals.js';

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

function expectError(fn: () => unknown, type: ErrorConstructor | TypeErrorConstructor | RangeErrorConstructor, message: string) {
  const error = thrown(fn);
  expect(error).toBeInstanceOf(type);
  expect(error.message).toBe(message);
}

const f32 = () => lanes.from([1, 2, 3], 'float32');
const f64 = () => lanes.from([1, 2, 3], 'float64');

describe('operand types', () => {
  const ops = { add: lanes.add, mul: lanes.mul, min: lanes.min } as Record<string, (...args: unknown[]) => unknown>;
  for (const [name, op] of Object.entries(ops)) {
    it(`${name}: strings, typed arrays of other types, objects, null and a missing operand`, () => {
      const expected = "must be a Float32Array, Float64Array, number[] or number, got";
      expectError(() => op(f32(), 'abc'), TypeError, `lanes.${name}: 'b' ${expected} a string`);
      expectError(() => op(new Int32Array(3), f32()), TypeError, `lanes.${name}: 'a' ${expected} an Int32Array`);
      expectError(() => op(f32(), new BigInt64Array(3)), TypeError, `lanes.${name}: 'b' ${expected} a BigInt64Array`);
      expectError(() => op({ length: 3 }, f32()), TypeError, `lanes.${name}: 'a' ${expected} an object (Object)`);
      expectError(() => op(null, f32()), TypeError, `lanes.${name}: 'a' ${expected} null`);
      // (min with one array reduces it: see stats.test.ts.)
      if (name === 'min') expect(op(f32())).toBe(1);
      else expectError(() => op(f32()), TypeError, `lanes.${name}: 'b' ${expected} undefined`);
      expectError(() => op(f32(), 1n), TypeError, `lanes.${name}: 'b' ${expected} a bigint`);
      expectError(() => op(1, 2), TypeError, `lanes.${name}: at least one operand must be an array, got two numbers`);
    });
  }

  it('unary ops and reductions take no number operand', () => {
    const expected = 'must be a Float32Array, Float64Array or number[], got';
    expectError(() => lanes.exp(3 as never), TypeError, `lanes.exp: 'a' ${expected} the number 3`);
    expectError(() => lanes.sum('x' as never), TypeError, `lanes.sum: 'a' ${expected} a string`);
    expectError(() => lanes.dot(f32(), 2 as never), TypeError, `lanes.dot: 'b' ${expected} the number 2`);
    expectError(() => lanes.sqrt(undefined as never), TypeError, `lanes.sqrt: 'a' ${expected} undefined`);
  });

  it('number[] elements must be numbers', () => {
    expectError(() => lanes.add(f64(), [1, '2', 3] as never), TypeError, "lanes.add: 'b[1]' must be a number, got a string");
    expectError(() => lanes.sum([1, 2, undefined] as never), TypeError, "lanes.sum: 'a[2]' must be a number, got undefined");
    // eslint-disable-next-line no-sparse-arrays
    expectError(() => lanes.from([1, , 3] as never), TypeError, "lanes.from: 'source[1]' must be a number, got undefined");
  });
});

describe('dtypes and lengths', () => {
  it('mixed dtypes are a TypeError', () => {
    expectError(() => lanes.add(f32(), f64()), TypeError, "lanes.add: 'a' is float32 but 'b' is float64; convert one with lanes.from(b, 'float32')");
    expectError(() => lanes.dot(f64(), new Float32Array(3)), TypeError, "lanes.dot: 'a' is float64 but 'b' is float32; convert one with lanes.from(b, 'float64')");
    expectError(() => lanes.exp(f32(), lanes.empty(3, 'float64')), TypeError, "lanes.exp: 'a' is float32 but 'out' is float64; convert one with lanes.from(out, 'float32')");
  });

  it('length mismatches are a RangeError', () => {
    expectError(() => lanes.sub(f32(), new Float32Array(4)), RangeError, "lanes.sub: 'a' has length 3 but 'b' has length 4");
    expectError(() => lanes.dot([1, 2], [1, 2, 3]), RangeError, "lanes.dot: 'a' has length 2 but 'b' has length 3");
    expectError(() => lanes.neg(f64(), lanes.empty(2)), RangeError, "lanes.neg: 'a' has length 3 but 'out' has length 2");
  });

  it('out must be a Float32Array or Float64Array', () => {
    expectError(() => lanes.add(f32(), f32(), [0, 0, 0] as never), TypeError, "lanes.add: 'out' must be a Float32Array or Float64Array, got an Array");
    expectError(() => lanes.abs(f32(), new Int32Array(3) as never), TypeError, "lanes.abs: 'out' must be a Float32Array or Float64Array, got an Int32Array");
  });

  it('number[] and numbers take the dtype of the typed operand or of out', () => {
    expect(lanes.add([1, 2], f32().subarray(0, 2))).toBeInstanceOf(Float32Array);
    expect(lanes.add([1, 2], 3)).toBeInstanceOf(Float64Array);
    expect(lanes.add([1, 2], 3, lanes.empty(2, 'float32'))).toBeInstanceOf(Float32Array);
  });
});

describe('memory', () => {
  it('heap exhaustion is a RangeError naming the sizes', () => {
    const rt = getRuntime();
    const inUse = rt.allocator.inUse;
    expectError(
      () => lanes.empty(2 ** 31, 'float64'),
      RangeError,
      `lanes: out of memory: cannot allocate 17179869184 bytes with ${inUse} bytes in use; the heap is limited to 4294967296 bytes (4 GiB, the wasm32 limit); arrays are released by lanes.free, or once garbage-collected, which a synchronous loop never lets happen: free what a loop drops, pass out, or run its body in lanes.scope()`,
    );
    expect(rt.allocator.inUse).toBe(inUse);
  });

  it('freed arrays are refused', () => {
    const a = f32();
    lanes.free(a);
    expectError(() => lanes.exp(a), TypeError, "lanes.exp: 'a' refers to memory released by lanes.free");
    expectError(() => lanes.add(f32(), f32(), a), TypeError, "lanes.add: 'out' refers to memory released by lanes.free");
    expectError(() => lanes.free(a), TypeError, "lanes.free: 'array' was already freed");
    expectError(() => lanes.free(new Float32Array(3)), TypeError, "lanes.free: 'array' must be an array lanes returned (empty, from or an op), got a Float32Array it did not allocate");
    expectError(() => lanes.free('x' as never), TypeError, "lanes.free: 'array' must be an array lanes returned, got a string");
  });

  it('empty and from check their arguments', () => {
    expectError(() => lanes.empty(-1), RangeError, "lanes.empty: 'n' must be a non-negative integer, got -1");
    expectError(() => lanes.empty(1.5), RangeError, "lanes.empty: 'n' must be a non-negative integer, got 1.5");
    expectError(() => lanes.empty('3' as never), TypeError, "lanes.empty: 'n' must be a number, got a string");
    expectError(() => lanes.empty(3, 'int32' as never), TypeError, "lanes.empty: 'dtype' must be 'float32' or 'float64', got a string");
    expectError(() => lanes.from(new Uint8Array(3) as never), TypeError, "lanes.from: 'source' must be a Float32Array, Float64Array or number[], got a Uint8Array");
    expectError(() => lanes.from([1], 'f32' as never), TypeError, "lanes.from: 'dtype' must be 'float32' or 'float64', got a string");
  });
});

describe('a failed call changes nothing', () => {
  it('out keeps its contents and nothing stays allocated', () => {
    const rt = getRuntime();
    const out = lanes.from([7, 8, 9], 'float32');
    const a32 = f32(), a64 = f64();
    const bad: (() => unknown)[] = [
      () => lanes.add(a32, 'x' as never, out),
      () => lanes.add([1, 2, 'x'] as never, [1, 2, 3], out),
      () => lanes.add(new Float32Array([1, 2, 3]), [1, 2, {}] as never, out),
      () => lanes.mul(a64, a64, out as never),
      () => lanes.exp(new Float32Array(4), out),
      () => lanes.sub(a32, a64, out),
    ];
    for (const call of bad) {
      const before = rt.allocator.inUse;
      expect(call).toThrow();
      expect(Array.from(out)).toEqual([7, 8, 9]);
      expect(rt.allocator.inUse).toBe(before);
    }
  });

  it('a rejected number[] operand leaves no temporary behind', () => {
    const rt = getRuntime();
    const a = lanes.from(new Float64Array(1000));
    const before = rt.allocator.inUse;
    const list = Array.from({ length: 1000 }, (_, i) => (i === 999 ? 'x' : i));
    expect(() => lanes.add(a, list as never)).toThrow(TypeError);
    expect(rt.allocator.inUse).toBe(before);
  });
});
