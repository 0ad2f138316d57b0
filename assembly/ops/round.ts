import { konst, Slot } from "../simd/constants";
import { absolute, mul } from "../simd/vec";

// The exact elementwise ops (and copysign, the one binary one here): each result is representable, so each op is one
// IEEE operation (or a choice between the input and a constant), the same
// bits in every build and lane by lane in the scalar twin. Rounding to an
// integer keeps the sign of zero (ceil(−0.5) = −0, trunc(−0.5) = −0) and passes
// ±∞ and NaN through, as IEEE 754's roundToIntegral does.

@final @unmanaged export class Floor {
  @inline apply<T, V>(a: V, b: V): V {
    if (isVector<V>()) return v128.floor<T>(a);
    else return floor<T>(a);
  }
}
@final @unmanaged export class Ceil {
  @inline apply<T, V>(a: V, b: V): V {
    if (isVector<V>()) return v128.ceil<T>(a);
    else return ceil<T>(a);
  }
}
@final @unmanaged export class Trunc {
  @inline apply<T, V>(a: V, b: V): V {
    if (isVector<V>()) return v128.trunc<T>(a);
    else return trunc<T>(a);
  }
}
/** Round half to even (np.rint, np.round), in the default rounding of every engine. */
@final @unmanaged export class Rint {
  @inline apply<T, V>(a: V, b: V): V {
    if (isVector<V>()) return v128.nearest<T>(a);
    else return nearest<T>(a);
  }
}
@final @unmanaged export class Square {
  @inline apply<T, V>(a: V, b: V): V { return mul<T, V>(a, a); }
}
/** −1, +1 with a's sign for a ≠ 0; a itself for ±0 and NaN (as Math.sign). */
@final @unmanaged export class Sign {
  @inline apply<T, V>(a: V, b: V): V {
    if (isVector<V>()) {
      const nonzero = v128.gt<T>(absolute<T, v128>(a), v128.splat<i32>(0));
      const unit = v128.or(v128.and(a, konst<T, v128>(Slot.NegativeZero)), konst<T, v128>(Slot.One));
      return v128.bitselect(unit, a, nonzero);
    } else {
      return abs<T>(a) > 0 ? copysign<T>(1, a) : a;
    }
  }
}
/** |a| with b's sign (IEEE 754 copySign: NaNs too, and a NaN's sign bit from b). */
@final @unmanaged export class CopySign {
  @inline apply<T, V>(a: V, b: V): V {
    if (isVector<V>()) return v128.bitselect(b, a, konst<T, v128>(Slot.NegativeZero));
    else return copysign<T>(a, b);
  }
}
@final @unmanaged export class RCopySign {
  @inline apply<T, V>(a: V, b: V): V { return changetype<CopySign>(0).apply<T, V>(b, a); }
}
