"""numpy on the same machine, for comparison with `npm run bench` (optional:
it needs Python 3 with numpy, which lanes itself does not use).

    python3 bench/numpy_compare.py

Times np.exp, np.add and sum at n = 1e6 (one thread, median of 7 runs of
20 calls, into a preallocated out), and measures np.exp's error in ULPs on
4M evenly spaced inputs: float32 against float64, float64 against long double.
"""
import timeit

import numpy as np

print("numpy", np.__version__)
rng = np.random.default_rng(1)
n = 1_000_000
for dtype in (np.float32, np.float64):
    # The inputs of the lanes benchmark: a in [0.1, 10), b in [0.5, 2).
    a = (rng.random(n) * 9.9 + 0.1).astype(dtype)
    b = (rng.random(n) * 1.5 + 0.5).astype(dtype)
    out = np.empty(n, dtype)
    calls = {"exp": lambda: np.exp(a, out=out), "add": lambda: np.add(a, b, out=out), "sum": lambda: a.sum()}
    for name, call in calls.items():
        seconds = sorted(timeit.repeat(call, number=20, repeat=7))[3] / 20
        print(f"{dtype.__name__} {name}: {seconds * 1e9 / n:.3f} ns per element")


def ulps(y, reference, smallest_exponent, mantissa_bits):
    exponent = np.maximum(np.floor(np.log2(reference.astype(np.float64))), smallest_exponent)
    return np.abs(y - reference) / np.exp2(exponent - mantissa_bits).astype(reference.dtype)


x32 = np.linspace(-103.9, 88.7, 4_000_001, dtype=np.float32)
e32 = ulps(np.exp(x32).astype(np.float64), np.exp(x32.astype(np.float64)), -126, 23)
print(f"np.exp float32: max {e32.max():.3f} ULP at x = {x32[e32.argmax()]}, mean {e32.mean():.3f}")
x64 = np.linspace(-745.0, 709.7, 4_000_001)
e64 = ulps(np.exp(x64).astype(np.longdouble), np.exp(x64.astype(np.longdouble)), -1022, 52).astype(np.float64)
print(f"np.exp float64: max {e64.max():.3f} ULP at x = {x64[e64.argmax()]}, mean {e64.mean():.3f}")
