// Polynomials by Horner's rule over coefficients in consecutive slots of the
// constant block (constants.ts), lowest power first, as tools/fits.mjs lists
// them. Inlined with a constant degree, the guarded steps fold away when the
// module is compiled: each call leaves just its own chain of madds, in
// Horner's order, so a kernel's bits are those of the chain written out.
import { konst, Slot } from "./constants";
import { madd } from "./vec";

/**
 * c₀ + x·(c₁ + x·(… + x·c_degree)), with cᵢ in slot `first + i`; up to
 * degree 12 (one guarded step per power: add steps for a longer fit).
 */
@inline export function horner<T, V>(x: V, first: Slot, degree: i32): V {
  // (A compile-time ERROR() would fire in every instance: this folds away
  // unless taken, and then every call of the kernel traps in the tests.)
  if (degree > 12) unreachable();
  let c = konst<T, V>(<Slot>(first + degree));
  if (degree >= 1) c = madd<T, V>(c, x, konst<T, V>(<Slot>(first + degree - 1)));
  if (degree >= 2) c = madd<T, V>(c, x, konst<T, V>(<Slot>(first + degree - 2)));
  if (degree >= 3) c = madd<T, V>(c, x, konst<T, V>(<Slot>(first + degree - 3)));
  if (degree >= 4) c = madd<T, V>(c, x, konst<T, V>(<Slot>(first + degree - 4)));
  if (degree >= 5) c = madd<T, V>(c, x, konst<T, V>(<Slot>(first + degree - 5)));
  if (degree >= 6) c = madd<T, V>(c, x, konst<T, V>(<Slot>(first + degree - 6)));
  if (degree >= 7) c = madd<T, V>(c, x, konst<T, V>(<Slot>(first + degree - 7)));
  if (degree >= 8) c = madd<T, V>(c, x, konst<T, V>(<Slot>(first + degree - 8)));
  if (degree >= 9) c = madd<T, V>(c, x, konst<T, V>(<Slot>(first + degree - 9)));
  if (degree >= 10) c = madd<T, V>(c, x, konst<T, V>(<Slot>(first + degree - 10)));
  if (degree >= 11) c = madd<T, V>(c, x, konst<T, V>(<Slot>(first + degree - 11)));
  if (degree >= 12) c = madd<T, V>(c, x, konst<T, V>(<Slot>(first + degree - 12)));
  return c;
}
