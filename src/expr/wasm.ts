// A small WebAssembly binary encoder: just what the expression kernels need
// (one module importing the shared memory and some kernels, exporting one
// function), written by hand so that lanes has no dependency for it.

export const Type = { i32: 0x7f, f32: 0x7d, f64: 0x7c, v128: 0x7b } as const;
export type ValType = (typeof Type)[keyof typeof Type];

/** Core opcodes used here. */
export const Op = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  call: 0x10,
  select: 0x1b,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Load: 0x28,
  f64Load: 0x2b,
  i32Const: 0x41,
  f64Const: 0x44,
  i32Eqz: 0x45,
  i32LtU: 0x49,
  i32GtU: 0x4b,
  i32GeU: 0x4f,
  f64Ge: 0x66,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  i32Ctz: 0x68,
  i32ShrU: 0x76,
  f64Abs: 0x99,
  f64Add: 0xa0,
  f64Sub: 0xa1,
  f64Min: 0xa4,
  f64Max: 0xa5,
  f64Mul: 0xa2,
  f64ConvertI32U: 0xb8,
  f32DemoteF64: 0xb6,
  f64PromoteF32: 0xbb,
} as const;

/** SIMD opcodes (after the 0xfd prefix). */
export const Simd = {
  load: 0x00,
  store: 0x0b,
  const: 0x0c,
  shuffle: 0x0d,
  f32x4Splat: 0x13,
  f64x2Splat: 0x14,
  f32x4ExtractLane: 0x1f,
  f64x2ExtractLane: 0x21,
  f32x4Eq: 0x41, f32x4Ne: 0x42, f32x4Lt: 0x43, f32x4Gt: 0x44, f32x4Le: 0x45, f32x4Ge: 0x46,
  f64x2Eq: 0x47, f64x2Ne: 0x48, f64x2Lt: 0x49, f64x2Gt: 0x4a, f64x2Le: 0x4b, f64x2Ge: 0x4c,
  andnot: 0x4f,
  xor: 0x51,
  bitselect: 0x52,
  anyTrue: 0x53,
  store32Lane: 0x5a,
  store64Lane: 0x5b,
  load32Zero: 0x5c,
  load64Zero: 0x5d,
  f64x2PromoteLowF32x4: 0x5f,
  f32x4Ceil: 0x67, f32x4Floor: 0x68, f32x4Trunc: 0x69, f32x4Nearest: 0x6a,
  f64x2Ceil: 0x74, f64x2Floor: 0x75, f64x2Trunc: 0x7a, f64x2Nearest: 0x94,
  i32x4AllTrue: 0xa3,
  i32x4Bitmask: 0xa4,
  i64x2Bitmask: 0xc4,
  f32x4Abs: 0xe0, f32x4Neg: 0xe1, f32x4Sqrt: 0xe3, f32x4Add: 0xe4, f32x4Sub: 0xe5, f32x4Mul: 0xe6, f32x4Div: 0xe7, f32x4Min: 0xe8, f32x4Max: 0xe9,
  f64x2Abs: 0xec, f64x2Neg: 0xed, f64x2Sqrt: 0xef, f64x2Add: 0xf0, f64x2Sub: 0xf1, f64x2Mul: 0xf2, f64x2Div: 0xf3, f64x2Min: 0xf4, f64x2Max: 0xf5,
} as const;

/** Bytes, with the encodings of the binary format. */
export class Bytes {
  readonly out: number[] = [];

  byte(...xs: number[]): this {
    for (const x of xs) this.out.push(x & 0xff);
    return this;
  }

  u32(x: number): this {
    x >>>= 0;
    do {
      let b = x & 0x7f;
      x >>>= 7;
      if (x !== 0) b |= 0x80;
      this.out.push(b);
    } while (x !== 0);
    return this;
  }

  s32(x: number): this {
    x |= 0;
    for (;;) {
      const b = x & 0x7f;
      x >>= 7;
      if ((x === 0 && (b & 0x40) === 0) || (x === -1 && (b & 0x40) !== 0)) {
        this.out.push(b);
        return this;
      }
      this.out.push(b | 0x80);
    }
  }

  f64(x: number): this {
    const b = new Uint8Array(new Float64Array([x]).buffer);
    return this.byte(...b);
  }

  name(s: string): this {
    const b = new TextEncoder().encode(s);
    return this.u32(b.length).byte(...b);
  }

  /** A length-prefixed vector of items. */
  vec(items: Bytes[]): this {
    this.u32(items.length);
    for (const item of items) this.bytes(item);
    return this;
  }

  bytes(b: Bytes): this {
    for (const x of b.out) this.out.push(x);
    return this;
  }
}

/** One function body under construction: its locals and its instructions. */
export class FunctionBody extends Bytes {
  private readonly locals: ValType[] = [];

  constructor(private readonly params: number) {
    super();
  }

  /** A new local of `type`; returns its index. */
  local(type: ValType): number {
    this.locals.push(type);
    return this.params + this.locals.length - 1;
  }

  op(code: number): this {
    return this.byte(code);
  }

  simd(code: number): this {
    return this.byte(0xfd).u32(code);
  }

  get(local: number): this {
    return this.byte(Op.localGet).u32(local);
  }

  set(local: number): this {
    return this.byte(Op.localSet).u32(local);
  }

  tee(local: number): this {
    return this.byte(Op.localTee).u32(local);
  }

  i32(value: number): this {
    return this.byte(Op.i32Const).s32(value);
  }

  /** A memory access: opcode (SIMD if `simd`), alignment exponent, offset. */
  mem(code: number, align: number, offset: number, simd = false): this {
    if (simd) this.simd(code);
    else this.op(code);
    return this.u32(align).u32(offset);
  }

  /** The body as the code section holds it: size, locals, instructions, end. */
  encode(): Bytes {
    const body = new Bytes();
    body.u32(this.locals.length);
    for (const type of this.locals) body.u32(1).byte(type);
    body.bytes(this).byte(Op.end);
    return new Bytes().u32(body.out.length).bytes(body);
  }
}

export interface FunctionType {
  params: ValType[];
  results: ValType[];
}

export interface ModuleSpec {
  /** Function types by index. */
  types: FunctionType[];
  /** Imported functions (module, field, type index), before the defined ones. */
  imports: { module: string; field: string; type: number }[];
  /** The shared memory import (env.memory) with these limits, in pages. */
  memory: { module: string; field: string; maximum: number };
  /** The one defined function: its type, body and export name. */
  func: { type: number; body: FunctionBody; export: string };
}

function section(id: number, content: Bytes): Bytes {
  return new Bytes().byte(id).u32(content.out.length).bytes(content);
}

/** The module's binary. */
export function encodeModule(spec: ModuleSpec): Uint8Array<ArrayBuffer> {
  const m = new Bytes().byte(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00);
  m.bytes(
    section(
      1,
      new Bytes().vec(spec.types.map((t) => new Bytes().byte(0x60).u32(t.params.length).byte(...t.params).u32(t.results.length).byte(...t.results))),
    ),
  );
  const imports = spec.imports.map((i) => new Bytes().name(i.module).name(i.field).byte(0x00).u32(i.type));
  // Shared memory with a maximum: limits flag 3.
  imports.push(new Bytes().name(spec.memory.module).name(spec.memory.field).byte(0x02, 0x03).u32(0).u32(spec.memory.maximum));
  m.bytes(section(2, new Bytes().vec(imports)));
  m.bytes(section(3, new Bytes().u32(1).u32(spec.func.type)));
  m.bytes(section(7, new Bytes().u32(1).name(spec.func.export).byte(0x00).u32(spec.imports.length)));
  m.bytes(section(10, new Bytes().u32(1).bytes(spec.func.body.encode())));
  return Uint8Array.from(m.out);
}
