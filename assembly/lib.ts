// lanes/assembly: the vocabulary, drivers and operand kinds lanes' own ops
// are written with, for user ops compiled by lanes-build (docs/abi.md).
//
//   import { map, FromArray, Broadcast, add, mul, splat } from "lanes/assembly";
//
// A user module reads lanes' constant block (konst, Slot) but never writes
// it: lanes' own module fills it once, and a module built against another
// version of this file may find other constants in the slots.
export {
  lanes, splat, add, sub, mul, div, minimum, maximum, neg, absolute, squareRoot, madd, pmin, pmax,
  shifter, scaleByPow2, pow2,
} from "./simd/vec";
export * from "./simd/memory";
export { konst, konstBits, Slot, Table, tableAddress, CONSTANT_BLOCK } from "./simd/constants";
export * from "./drivers/map";
export * from "./drivers/reduce";
export * from "./drivers/operand";
export * from "./drivers/strategy";
export * from "./ops/arith";
export { Exp } from "./ops/exp";
