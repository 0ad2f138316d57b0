// How values cross threads: structured clone (v8.serialize), except lanes
// arrays, which travel as (address, length, dtype, block) and are rebuilt on
// the other side as views of the same memory: no copy. A unit's items and
// results that are all numbers, what map passes and returns most, skip the
// serializer: its objects and buffers cost a one-item unit several times
// the rest of its trip.
import v8 from 'node:v8';
import { freed } from '../errors.js';
import type { Arrays, Dtype, FloatArray } from '../memory/arrays.js';

const OTHER = 0;
const LANES = 1;

interface HostSerializer {
  _writeHostObject(object: object): void;
}
interface HostDeserializer {
  _readHostObject(): object;
}

/**
 * What the writer does with each lanes array's block: 'pin' it (the sender
 * keeps it pinned until the call settles; the receiver borrows it) or
 * 'retain' a view of it for the receiver, which then owns that view.
 */
export type Handoff = { mode: 'pin'; pins: number[] } | { mode: 'retain' };

class Writer extends v8.DefaultSerializer {
  constructor(
    private readonly arrays: Arrays,
    private readonly handoff: Handoff,
    private readonly fn: string,
  ) {
    super();
  }

  _writeHostObject(view: ArrayBufferView): void {
    const lanes = (view instanceof Float32Array || view instanceof Float64Array) && this.arrays.memory.owns(view.buffer);
    // An empty view that lanes did not hand out holds no memory: it is copied, like any other.
    const home = lanes ? this.arrays.homeOf(view as FloatArray) : undefined;
    if (lanes && (home || view.byteLength > 0)) {
      const kept = home && (this.handoff.mode === 'pin' ? this.arrays.allocator.pin(home[0]) : this.arrays.allocator.retain(home[0], home[1]));
      if (!kept) throw freed(this.fn, 'an argument or result');
      if (this.handoff.mode === 'pin') this.handoff.pins.push(home[0]);
      this.writeUint32(LANES);
      this.writeUint32(view instanceof Float32Array ? 4 : 8);
      this.writeDouble(view.byteOffset);
      this.writeDouble((view as FloatArray).length);
      this.writeDouble(home[0]);
      this.writeDouble(home[1]);
      return;
    }
    this.writeUint32(OTHER);
    (v8.DefaultSerializer.prototype as unknown as HostSerializer)._writeHostObject.call(this, view);
  }
}

class Reader extends v8.DefaultDeserializer {
  constructor(
    bytes: Buffer,
    private readonly arrays: Arrays,
    private readonly owned: boolean,
  ) {
    super(bytes);
  }

  _readHostObject(): object {
    if (this.readUint32() === OTHER) return (v8.DefaultDeserializer.prototype as unknown as HostDeserializer)._readHostObject.call(this);
    const dtype: Dtype = this.readUint32() === 4 ? 'float32' : 'float64';
    const at = this.readDouble();
    const n = this.readDouble();
    const start = this.readDouble();
    const generation = this.readDouble();
    return this.arrays.adopt(dtype, at, n, [start, generation], this.owned);
  }
}

/**
 * The numbers format, always 8-aligned: byte 0 NUMBERS (v8.serialize's
 * output starts with 0xff), byte 1 how many arrays wrap the numbers (0 or
 * 1), a little-endian Uint32 count at byte 4, then the numbers as float64
 * (bit for bit, -0 and NaN too).
 */
const NUMBERS = 1;

/** A value ready to be written into lanes memory: serialized bytes, or numbers for the numbers format. */
export type Encoded = Uint8Array | { numbers: number[]; depth: number; byteLength: number };

/**
 * `array` in the numbers format if every element is a number (`wrapped`:
 * it decodes as [array]). Only for arrays lanes made (a unit's items, a
 * unit's results): a user's array may carry named properties, which
 * structured clone keeps and this format would not.
 */
export function asNumbers(array: unknown[], wrapped: boolean): Encoded | undefined {
  for (let i = 0; i < array.length; i++) if (typeof array[i] !== 'number') return undefined;
  return { numbers: array as number[], depth: wrapped ? 1 : 0, byteLength: 8 + 8 * array.length };
}

/** Serializes `value`; lanes arrays in it are handed off as `handoff` says. */
export function encode(arrays: Arrays, value: unknown, handoff: Handoff, fn: string): Uint8Array {
  const writer = new Writer(arrays, handoff, fn);
  writer.writeHeader();
  writer.writeValue(value);
  return writer.releaseBuffer();
}

/** Writes what encode or asNumbers gave at byte `at` (8-aligned) of lanes memory. */
export function write(arrays: Arrays, encoded: Encoded, at: number): void {
  const { memory } = arrays;
  memory.covering(at + encoded.byteLength);
  if (encoded instanceof Uint8Array) {
    memory.bytes.set(encoded, at);
    return;
  }
  const { bytes, f64 } = memory;
  const { numbers, depth } = encoded;
  const count = numbers.length;
  bytes[at] = NUMBERS;
  bytes[at + 1] = depth;
  for (let k = 0; k < 4; k++) bytes[at + 4 + k] = (count >>> (8 * k)) & 0xff;
  const first = (at >>> 3) + 1;
  for (let i = 0; i < count; i++) f64[first + i] = numbers[i];
}

function decodeNumbers(memory: Arrays['memory'], at: number): unknown[] {
  const { bytes, f64 } = memory;
  const count = (bytes[at + 4] | (bytes[at + 5] << 8) | (bytes[at + 6] << 16) | (bytes[at + 7] << 24)) >>> 0;
  const first = (at >>> 3) + 1;
  const numbers: number[] = new Array<number>(count);
  for (let i = 0; i < count; i++) numbers[i] = f64[first + i];
  return bytes[at + 1] === 1 ? [numbers] : numbers;
}

/** Reads a value that encode wrote at byte `at` of lanes memory. `owned`: its lanes arrays were retained for this thread. */
export function decode(arrays: Arrays, at: number, bytes: number, owned: boolean): unknown {
  const { memory } = arrays;
  memory.covering(at + bytes);
  if (memory.bytes[at] === NUMBERS) return decodeNumbers(memory, at);
  // Copied out first: plain typed arrays in the value are views of the bytes read.
  const copy = memory.bytes.slice(at, at + bytes);
  const reader = new Reader(Buffer.from(copy.buffer), arrays, owned);
  reader.readHeader();
  return reader.readValue();
}

/** Writes `encoded` into a new block of lanes memory after `header` bytes (a multiple of 8); returns the block's address. */
export function store(arrays: Arrays, encoded: Encoded, header: number): number {
  const at = arrays.allocator.alloc(header + encoded.byteLength);
  write(arrays, encoded, at + header);
  return at;
}

export type { FloatArray };
