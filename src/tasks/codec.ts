// How values cross threads: structured clone (v8.serialize), except lanes
// arrays, which travel as (address, length, dtype, block) and are rebuilt on
// the other side as views of the same memory: no copy.
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

/** Serializes `value`; lanes arrays in it are handed off as `handoff` says. */
export function encode(arrays: Arrays, value: unknown, handoff: Handoff, fn: string): Buffer {
  const writer = new Writer(arrays, handoff, fn);
  writer.writeHeader();
  writer.writeValue(value);
  return writer.releaseBuffer();
}

/** Reads a value that encode wrote at byte `at` of lanes memory. `owned`: its lanes arrays were retained for this thread. */
export function decode(arrays: Arrays, at: number, bytes: number, owned: boolean): unknown {
  // Copied out first: plain typed arrays in the value are views of the bytes read.
  const copy = new Uint8Array(arrays.memory.covering(at + bytes), at, bytes).slice();
  const reader = new Reader(Buffer.from(copy.buffer), arrays, owned);
  reader.readHeader();
  return reader.readValue();
}

/** Writes `bytes` into a new block of lanes memory after `header` bytes; returns its address. */
export function store(arrays: Arrays, bytes: Uint8Array, header: number): number {
  const at = arrays.allocator.alloc(header + bytes.byteLength);
  new Uint8Array(arrays.memory.covering(at + header + bytes.byteLength), at + header, bytes.byteLength).set(bytes);
  return at;
}

export type { FloatArray };
