// A small WebAssembly binary reader: what lanes needs to know of a module
// before it runs it (lanes.load, lanes-build): each export's signature, the
// imports, whether it has data segments or mutable globals, its custom
// sections. JS's WebAssembly.Module.exports() gives no signatures.

export type WasmType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128' | 'funcref' | 'externref';

export interface Signature {
  params: WasmType[];
  results: WasmType[];
}

export interface ModuleInfo {
  /** Function exports with their signatures, and other exports by kind. */
  exports: { name: string; kind: 'function' | 'table' | 'memory' | 'global' | 'tag'; signature?: Signature }[];
  imports: { module: string; name: string; kind: 'function' | 'table' | 'memory' | 'global' | 'tag' }[];
  /** Data segments (active or passive). */
  dataSegments: number;
  /** Globals the module defines, and how many of them are mutable. */
  globals: number;
  mutableGlobals: number;
  customSections: string[];
}

const VALTYPES: Record<number, WasmType> = { 0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128', 0x70: 'funcref', 0x6f: 'externref' };
const KINDS = ['function', 'table', 'memory', 'global', 'tag'] as const;

class Cursor {
  pos = 0;
  constructor(readonly bytes: Uint8Array) {}
  byte(): number {
    if (this.pos >= this.bytes.length) throw new Error('unexpected end of the module');
    return this.bytes[this.pos++];
  }
  u32(): number {
    let result = 0, shift = 0, b: number;
    do {
      b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80);
    return result;
  }
  /** Skips a signed LEB128. */
  skipLeb(): void {
    while (this.byte() & 0x80);
  }
  name(): string {
    const length = this.u32();
    const text = new TextDecoder().decode(this.bytes.subarray(this.pos, this.pos + length));
    this.pos += length;
    return text;
  }
  valtype(): WasmType {
    const b = this.byte();
    const t = VALTYPES[b];
    if (!t) throw new Error(`unknown value type 0x${b.toString(16)}`);
    return t;
  }
  limits(): void {
    const flags = this.byte();
    this.u32();
    if (flags & 1) this.u32();
  }
  /** Skips a constant expression (a global's initializer), up to its end. */
  skipInit(): void {
    for (;;) {
      const op = this.byte();
      if (op === 0x0b) return;
      if (op === 0x41 || op === 0x42) this.skipLeb();
      else if (op === 0x43) this.pos += 4;
      else if (op === 0x44) this.pos += 8;
      else if (op === 0x23 || op === 0xd2) this.u32();
      else if (op === 0xd0) this.byte();
      else if (op === 0xfd) {
        this.u32();
        this.pos += 16;
      } else throw new Error(`unexpected instruction 0x${op.toString(16)} in a constant expression`);
    }
  }
}

/** Reads what lanes needs of a module; throws on a malformed one. */
export function readModule(bytes: Uint8Array): ModuleInfo {
  const c = new Cursor(bytes);
  const magic = bytes.length >= 8 && bytes[0] === 0 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d;
  if (!magic) throw new Error('not a WebAssembly module (no \\0asm header)');
  c.pos = 8;
  const types: Signature[] = [];
  const functionTypes: number[] = [];
  const info: ModuleInfo = { exports: [], imports: [], dataSegments: 0, globals: 0, mutableGlobals: 0, customSections: [] };
  const exports: { name: string; kind: number; index: number }[] = [];
  while (c.pos < bytes.length) {
    const id = c.byte();
    const size = c.u32();
    const end = c.pos + size;
    if (end > bytes.length) throw new Error('a section runs past the end of the module');
    switch (id) {
      case 0:
        info.customSections.push(c.name());
        break;
      case 1:
        for (let i = 0, count = c.u32(); i < count; i++) {
          if (c.byte() !== 0x60) throw new Error('unsupported type in the type section');
          const params = Array.from({ length: c.u32() }, () => c.valtype());
          const results = Array.from({ length: c.u32() }, () => c.valtype());
          types.push({ params, results });
        }
        break;
      case 2:
        for (let i = 0, count = c.u32(); i < count; i++) {
          const module = c.name();
          const name = c.name();
          const kind = c.byte();
          if (kind === 0) {
            functionTypes.push(c.u32());
          } else if (kind === 1) {
            c.valtype();
            c.limits();
          } else if (kind === 2) c.limits();
          else if (kind === 3) {
            c.valtype();
            c.byte();
          } else if (kind === 4) {
            c.byte();
            c.u32();
          }
          info.imports.push({ module, name, kind: KINDS[kind] });
        }
        break;
      case 3:
        for (let i = 0, count = c.u32(); i < count; i++) functionTypes.push(c.u32());
        break;
      case 6:
        for (let i = 0, count = c.u32(); i < count; i++) {
          c.valtype();
          if (c.byte() & 1) info.mutableGlobals++;
          info.globals++;
          c.skipInit();
        }
        break;
      case 7:
        for (let i = 0, count = c.u32(); i < count; i++) exports.push({ name: c.name(), kind: c.byte(), index: c.u32() });
        break;
      case 11:
        info.dataSegments = c.u32();
        break;
      case 12:
        info.dataSegments = Math.max(info.dataSegments, c.u32());
        break;
    }
    c.pos = end;
  }
  for (const e of exports) {
    info.exports.push({ name: e.name, kind: KINDS[e.kind], signature: e.kind === 0 ? types[functionTypes[e.index]] : undefined });
  }
  return info;
}

/** The module with a custom section `name` holding `payload` appended. */
export function appendCustomSection(bytes: Uint8Array, name: string, payload: Uint8Array): Uint8Array {
  const nameBytes = new TextEncoder().encode(name);
  const body = [...leb(nameBytes.length), ...nameBytes, ...payload];
  return new Uint8Array([...bytes, 0, ...leb(body.length), ...body]);
}

/** n as an unsigned LEB128, the bytes wasm writes integers in. */
export function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
}

/** A signature as messages write it: (i32, f32, i32, i32) -> void. */
export function formatSignature(s: Signature): string {
  return `(${s.params.join(', ')}) -> ${s.results.length === 0 ? 'void' : s.results.join(', ')}`;
}
