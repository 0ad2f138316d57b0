import { read, readTail } from "../simd/memory";
import { splat } from "../simd/vec";

// Where a driver takes an operand after the first from: an array at pointer
// b, or one number c broadcast to every element. Unary ops ignore it.

@final @unmanaged export class FromArray {
  @inline read<T, V>(b: usize, c: T, offset: usize = 0): V {
    return read<T, V>(b, offset);
  }
  @inline readTail<T>(b: usize, c: T, k: i32, fill: T): v128 {
    return readTail<T>(b, k, fill);
  }
}

@final @unmanaged export class Broadcast {
  @inline read<T, V>(b: usize, c: T, offset: usize = 0): V {
    return splat<T, V>(c);
  }
  @inline readTail<T>(b: usize, c: T, k: i32, fill: T): v128 {
    return v128.splat<T>(c);
  }
}
