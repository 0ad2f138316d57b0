// Vector constants are read from a block of lanes memory that the host fills
// once, before any worker starts (writeConstants in index.ts), not taken
// from v128.const immediates. What engines do with a v128.const in a loop:
//   - V8 11.3 (Node 20) materializes each one before the loop and spills it
//     to the stack; the loop reads it back as a memory operand.
//   - V8 12.4 and later (Node 22, 24, 26) rebuild it at every use inside the
//     loop, with movq r64, imm64; vmovq xmm, r64; vpunpcklqdq: three
//     instructions, two of them on the one shuffle port. vexp_f32 held about
//     200 such sequences, and ran 2.2× slower than on Node 20.
// A load from memory is one instruction on every engine, and none rebuilds
// it. The block is not a data segment, so a worker that instantiates the
// module writes nothing.

/** Bytes per slot: the f32x4 pattern, then the f64x2 pattern. */
const SLOT_BYTES = 32;

/**
 * Where the constant block starts: a fixed address, not the module's
 * __heap_base, so that every module compiled against this file (lanes' own,
 * and user ops built by lanes-build, which may have another __heap_base)
 * reads the same block. asc puts a module with no static data at 1024;
 * define() traps if this module's static data would reach into the block.
 */
export const CONSTANT_BLOCK: usize = 1024;

@inline export function constantBlock(): usize {
  return CONSTANT_BLOCK;
}

/** Tables after the slots, by byte offset. */
export const enum Table {
  /** 2^(j/128) for j = 0..127, each as f64 hi then lo (ops/exp.ts). */
  Exp2 = 0,
  /** log_b(c) for 128 values of c, 64 bytes each (ops/log.ts, tools/log-table.mjs). */
  Log = 128 * 16,
  /** 2/π's first 1216 bits, 40 words of 32 bits (ops/trig.ts, tools/trig-table.mjs). */
  TwoOverPi = 128 * 16 + 128 * 64,
  /** atan(j/64) for j = 0..64, each as f64 hi then lo (ops/inverse-trig.ts, tools/atan-table.mjs). */
  Atan = 128 * 16 + 128 * 64 + 160,
  /** erfcx(a) = e^(a²)·erfc(a) about 112 midpoints, 128 bytes each, in room for 128 (ops/erf.ts, tools/erf-table.mjs). */
  Erfcx = 128 * 16 + 128 * 64 + 160 + 65 * 16,
  /** erf(a) about 64 midpoints from 3/8 to 6, 128 bytes each (the same). */
  Erf = 128 * 16 + 128 * 64 + 160 + 65 * 16 + 128 * 128,
  /** Not a table: the bytes they take. */
  Bytes = 128 * 16 + 128 * 64 + 160 + 65 * 16 + 128 * 128 + 64 * 128,
}

@inline export function tableAddress(table: Table): usize {
  return constantBlock() + <usize>Slot.Count * SLOT_BYTES + <usize>table;
}

/** The end of the block, on a 64-byte boundary: the host allocates from here up. */
@inline export function constantBlockEnd(): usize {
  return (tableAddress(Table.Bytes) + 63) & ~63;
}

/** Constant `slot` as a V of T: its f32 pattern for f32, its f64 pattern for f64. */
@inline export function konst<T, V>(slot: Slot): V {
  const p = constantBlock() + <usize>slot * SLOT_BYTES + (sizeof<T>() == 4 ? 0 : 16);
  if (isVector<V>()) return v128.load(p);
  else return load<T>(p);
}

/** Constant `slot` as a v128 of its T pattern, for integer lane arithmetic on the bits. */
@inline export function konstBits<T>(slot: Slot): v128 {
  return v128.load(constantBlock() + <usize>slot * SLOT_BYTES + (sizeof<T>() == 4 ? 0 : 16));
}

/**
 * Defines a slot: `f32` fills the f32x4 half (as four 32-bit lanes) and
 * `f64` the f64x2 half (as two 64-bit lanes). Called only from writeConstants.
 */
export function define(slot: Slot, f32: u32, f64: u64): void {
  // The block must lie above the module's own static data (it has none).
  if (__heap_base > CONSTANT_BLOCK) unreachable();
  const p = constantBlock() + <usize>slot * SLOT_BYTES;
  v128.store(p, i32x4.splat(f32));
  v128.store(p + 16, i64x2.splat(f64));
}

/**
 * Every constant a kernel reads, by slot. Each op family defines its own
 * slots' values next to its math (see its *Constants function).
 */
export const enum Slot {
  // simd/vec.ts
  Shifter,
  ExponentBias,
  One,
  MinNormal,
  MaxFinite,
  NegativeZero,
  // simd/double.ts
  Split,
  SplitMask,
  // ops/exp.ts
  ExpClampHigh,
  ExpClampLow,
  ExpFastBelow,
  Log2e,
  ExpLn2Hi,
  ExpLn2Mid,
  ExpP0,
  ExpP1,
  ExpP2,
  ExpP3,
  ExpP4,
  ExpIndexMask,
  ExpNarrowP0,
  ExpNarrowP1,
  Exp2FastBelow,
  Exp2NegFastBelow,
  Exp2ClampHigh,
  Exp2ClampLow,
  Exp2Scale,
  Exp2Step,
  Exp2R1, Exp2R2, Exp2R3, Exp2R4, Exp2R5, Exp2R6, Exp2R7,
  Exp2Q0, Exp2Q1, Exp2Q2, Exp2Q3, Exp2Q4,
  Expm1FastBelow,
  Expm1NearZero,
  Expm1Log2e,
  Expm1Ln2,
  Expm1P0, Expm1P1, Expm1P2, Expm1P3, Expm1P4, Expm1P5, Expm1P6, Expm1P7,
  Expm1S1, Expm1S2, Expm1S3, Expm1S4, Expm1S5, Expm1S6,
  // ops/sigmoid.ts
  SigmoidUsualBelow,
  SigmoidF32Clamp,
  // ops/hyperbolic.ts
  TanhUsualBelow,
  Half,
  SinhF32Clamp,
  HyperbolicClamp,
  SinhS0, SinhS1, SinhS2, SinhS3, SinhS4,
  TanhNearZero,
  Two,
  TanhQ0, TanhQ1, TanhQ2, TanhQ3, TanhQ4, TanhQ5,
  // ops/inverse-hyperbolic.ts
  AcoshUsualFrom,
  InverseHyperbolicBig,
  InverseHyperbolicSmall,
  AsinhC3,
  AtanhC3,
  // ops/cbrt.ts
  CbrtLow,
  CbrtHigh,
  CbrtUp,
  CbrtDown,
  CbrtMagic,
  CbrtHighWord,
  CbrtThird32,
  CbrtThird,
  CbrtTwoNinths,
  // ops/pow.ts
  PowFastY,
  PowBigProduct,
  PowF32Clamp,
  // ops/trig.ts
  TrigFastBelow,
  TrigNearMultiple,
  TwoOverPi,
  HalfPi1, HalfPi1Rest, HalfPi2, HalfPi3, HalfPi4,
  HalfPiHi, HalfPiLo,
  MinusHalf,
  SinS0Hi, SinS0Lo,
  SinQ0, SinQ1, SinQ2, SinQ3, SinQ4, SinQ5,
  SinF0, SinF1, SinF2, SinF3,
  CosC0, CosC1, CosC2, CosC3, CosC4, CosC5,
  CosF0, CosF1, CosF2, CosF3,
  // ops/inverse-trig.ts
  ArcTiny, ArcHuge, ArcSteps, ArcStep,
  AtanC3, AtanC5, AtanC7, AtanC9,
  AtanHalfFrom, AtanOneFrom, AtanFarFrom, QuarterPiHi, QuarterPiLo, AtanHalfHi, AtanHalfLo, FourFifths,
  AtanP0, AtanP1, AtanP2, AtanP3, AtanP4, AtanP5, AtanP6, AtanP7, AtanP8, AtanP9, AtanP10, AtanP11,
  AtanF0, AtanF1, AtanF2, AtanF3, AtanF4, AtanF5, AtanF6,
  AsinQ0, AsinQ1, AsinQ2, AsinQ3, AsinQ4, AsinQ5, AsinQ6, AsinQ7, AsinQ8, AsinQ9, AsinQ10, AsinQ11, AsinQ12,
  AsinF0, AsinF1, AsinF2, AsinF3, AsinF4, AsinF5, AsinF6, AsinF7,
  // ops/erf.ts
  ErfcClamp, ErfcScaledClamp, ErfcUsualBelow, ErfUp, ErfDown, ErfEighth, ErfcExponentStep, ErfcScaleExponent,
  ErfTopBits, ErfMidBit, ErfcxIndexBase, ErfcxIndexMask, ErfIndexBase, ErfIndexMask, ErfClamp, ErfNearZeroBelow,
  ErfP0, ErfP1, ErfP2, ErfP3, ErfP4, ErfP5, ErfP6, ErfP7, ErfP8, ErfP9,
  ErfS0, ErfS1, ErfS2, ErfS3, ErfS4, ErfS5,
  // ops/hypot.ts
  Infinity,
  HypotBig,
  HypotSmall,
  HypotDown,
  HypotUp,
  HypotSubnormal,
  // ops/log.ts
  MinusOne,
  Zero,
  Log1pNearZero,
  NegInfinity,
  QuietNaN,
  LogOffset,
  LogOffsetF32,
  LogSubnormalScale,
  LogSubnormalK,
  LogExponentMask,
  LogQ0,
  LogQ1,
  LogQ2,
  LogQ3,
  LogG0,
  LogG1,
  LogG2,
  LogG3,
  LogG4,
  LogG5,
  PowH0, PowH1, PowH2, PowH3, PowH4, PowH5,
  /** Six per base (e, 2, 10): see BaseSlot in ops/log.ts. */
  LogBases,
  LogBasesEnd = LogBases + 18,
  /** Not a slot: how many there are. */
  Count = LogBasesEnd,
}
