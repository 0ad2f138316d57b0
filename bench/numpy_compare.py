"""numpy on the same machine, for comparison with `npm run bench` (optional:
it needs Python 3 with numpy, which lanes itself does not use).

    python3 bench/numpy_compare.py            every op lanes has a numpy twin for
    python3 bench/numpy_compare.py exp log    only these (the reductions too: min argmax var)

Times each op at n = 1e6 (one thread, median of 7 runs of 20 calls, into a
preallocated out, on the lanes benchmark's inputs), and for the ops held to a
ULP bound measures numpy's error on 4M evenly spaced inputs over the op's
domain: float32 against float64, float64 against long double.
"""
import sys
import timeit

import numpy as np

print("numpy", np.__version__)
rng = np.random.default_rng(1)
n = 1_000_000

# name: (timed call on a, b, out; the domain swept for the error, float32 and float64, or None for exact
# ops; and where lanes' op table names one, the domain of the timed a instead of [0.1, 10))
OPS = {
    "add": (lambda a, b, out: np.add(a, b, out=out), None),
    "sum": (lambda a, b, out: a.sum(), None),
    "square": (lambda a, b, out: np.square(a, out=out), None),
    "floor": (lambda a, b, out: np.floor(a, out=out), None),
    "rint": (lambda a, b, out: np.rint(a, out=out), None),
    "sign": (lambda a, b, out: np.sign(a, out=out), None),
    "clip": (lambda a, b, out: np.clip(a, 1, 5, out=out), None),
    "copysign": (lambda a, b, out: np.copysign(a, b, out=out), None),
    "hypot": (lambda a, b, out: np.hypot(a, b, out=out), "binary"),
    "pow": (lambda a, b, out: np.power(a, b, out=out), "power"),
    "exp": (lambda a, b, out: np.exp(a, out=out), ((-103.9, 88.7), (-745.0, 709.7))),
    "exp2": (lambda a, b, out: np.exp2(a, out=out), ((-149.0, 127.9), (-1074.0, 1023.9))),
    "expm1": (lambda a, b, out: np.expm1(a, out=out), ((-20.0, 88.7), (-40.0, 709.7))),
    "log": (lambda a, b, out: np.log(a, out=out), ((1e-30, 1e30), (1e-300, 1e300))),
    "log2": (lambda a, b, out: np.log2(a, out=out), ((1e-30, 1e30), (1e-300, 1e300))),
    "log10": (lambda a, b, out: np.log10(a, out=out), ((1e-30, 1e30), (1e-300, 1e300))),
    "log1p": (lambda a, b, out: np.log1p(a, out=out), ((-0.999, 1e30), (-0.999, 1e300))),
    "sinh": (lambda a, b, out: np.sinh(a, out=out), ((-89.0, 89.0), (-710.0, 710.0))),
    "cosh": (lambda a, b, out: np.cosh(a, out=out), ((-89.0, 89.0), (-710.0, 710.0))),
    "tanh": (lambda a, b, out: np.tanh(a, out=out), ((-20.0, 20.0), (-20.0, 20.0))),
    "asinh": (lambda a, b, out: np.arcsinh(a, out=out), ((-1e30, 1e30), (-1e300, 1e300))),
    "acosh": (lambda a, b, out: np.arccosh(a, out=out), ((1.0, 1e30), (1.0, 1e300)), (1.0, 10.0)),
    "atanh": (lambda a, b, out: np.arctanh(a, out=out), ((-0.9999, 0.9999), (-0.9999, 0.9999)), (-0.99, 0.99)),
    "cbrt": (lambda a, b, out: np.cbrt(a, out=out), ((1e-30, 1e30), (1e-300, 1e300))),
    "sin": (lambda a, b, out: np.sin(a, out=out), ((-100.0, 100.0), (-100.0, 100.0))),
    "cos": (lambda a, b, out: np.cos(a, out=out), ((-100.0, 100.0), (-100.0, 100.0))),
    "tan": (lambda a, b, out: np.tan(a, out=out), ((-100.0, 100.0), (-100.0, 100.0))),
    "asin": (lambda a, b, out: np.arcsin(a, out=out), ((-1.0, 1.0), (-1.0, 1.0)), (-0.99, 0.99)),
    "acos": (lambda a, b, out: np.arccos(a, out=out), ((-1.0, 1.0), (-1.0, 1.0)), (-0.99, 0.99)),
    "atan": (lambda a, b, out: np.arctan(a, out=out), ((-100.0, 100.0), (-100.0, 100.0))),
    "atan2": (lambda a, b, out: np.arctan2(a, b, out=out), "binary"),
    # numpy has no sigmoid: what numpy code writes for it (scipy.special.expit is the same math).
    "sigmoid": (lambda a, b, out: np.divide(1, np.add(1, np.exp(np.negative(a, out=out), out=out), out=out), out=out), None),
    "cumsum": (lambda a, b, out: np.cumsum(a, out=out), None),
}
try:
    # numpy has no erf: numpy code takes scipy's, timed here where scipy is installed (no error
    # sweep: scipy.special has no long double loop to measure float64 against).
    from scipy import special

    OPS["erf"] = (lambda a, b, out: special.erf(a, out=out), None)
    OPS["erfc"] = (lambda a, b, out: special.erfc(a, out=out), None)
except ImportError:
    pass
# The reductions of one array (lanes' op table REDUCTIONS), timed on bench/reductions.ts' inputs:
# values within 10^-6 of 1, so that prod stays finite. np.linalg.norm of a vector is √(a·a), unscaled.
REDUCTIONS = {
    "min": np.min, "max": np.max, "argmin": np.argmin, "argmax": np.argmax, "prod": np.prod,
    "mean": np.mean, "var": np.var, "std": np.std, "norm": np.linalg.norm,
}
names = [name for name in sys.argv[1:] or list(OPS) if name in OPS]
reductions = [name for name in sys.argv[1:] or list(REDUCTIONS) if name in REDUCTIONS]

for dtype in (np.float32, np.float64):
    # The inputs of the lanes benchmark: a in [0.1, 10) (or the op's domain), b in [0.5, 2).
    b = (rng.random(n) * 1.5 + 0.5).astype(dtype)
    out = np.empty(n, dtype)
    for name in names:
        call = OPS[name][0]
        lo, hi = OPS[name][2] if len(OPS[name]) > 2 else (0.1, 10.0)
        a = (rng.random(n) * (hi - lo) + lo).astype(dtype)
        seconds = sorted(timeit.repeat(lambda: call(a, b, out), number=20, repeat=7))[3] / 20
        print(f"{dtype.__name__} {name}: {seconds * 1e9 / n:.3f} ns per element")
    near1 = (1 + (rng.random(n) - 0.5) * 1e-6).astype(dtype)
    for name in reductions:
        f = REDUCTIONS[name]
        seconds = sorted(timeit.repeat(lambda: f(near1), number=20, repeat=7))[3] / 20
        print(f"{dtype.__name__} {name}(a): {seconds * 1e9 / n:.3f} ns per element")


def ulps(y, reference, smallest_exponent, mantissa_bits):
    magnitude = np.abs(reference.astype(np.float64))
    exponent = np.maximum(np.floor(np.log2(np.where(magnitude > 0, magnitude, 1.0))), smallest_exponent)
    return np.abs(y - reference) / np.exp2(exponent - mantissa_bits).astype(reference.dtype)


def sweep(lo, hi, dtype):
    """4M inputs evenly spaced over [lo, hi], geometrically where the range spans many binades."""
    if lo > 0 and hi / lo > 1e6:
        return np.geomspace(lo, hi, 4_000_001).astype(dtype)
    return np.linspace(lo, hi, 4_000_001).astype(dtype)


with np.errstate(all="ignore"):
    for name in names:
        domains = OPS[name][1]
        if domains is None:
            continue
        if domains == "power":
            # x over every binade of the dtype, y such that x^y lands anywhere in its range.
            for dtype, wide, emin, bits in ((np.float32, np.float64, -126, 23), (np.float64, np.longdouble, -1022, 52)):
                e = np.log2(np.finfo(dtype).max)
                x = np.exp2(rng.uniform(emin, e, 4_000_000)).astype(dtype)
                x = x[x != 1]
                y = (rng.uniform(emin, e, x.size) / np.log2(x.astype(np.float64))).astype(dtype)
                r = np.power(x.astype(wide), y.astype(wide))
                ok = np.isfinite(r) & (np.abs(r) < np.finfo(dtype).max)
                err = ulps(np.power(x, y).astype(wide)[ok], r[ok], emin, bits).astype(np.float64)
                print(f"np.power {dtype.__name__}: max {err.max():.3f} ULP, mean {err.mean():.3f}")
            continue
        if domains == "binary":
            # Pairs over every binade of both dtypes, against the wider type.
            for dtype, wide, emin, bits in ((np.float32, np.float64, -126, 23), (np.float64, np.longdouble, -1022, 52)):
                e = np.log2(np.finfo(dtype).max) - 2
                x = (np.exp2(rng.uniform(-e, e, 4_000_000)) * rng.choice([-1, 1], 4_000_000)).astype(dtype)
                y = (np.exp2(rng.uniform(-e, e, 4_000_000))).astype(dtype)
                f = getattr(np, {"atan2": "arctan2"}.get(name, name))
                r = f(x.astype(wide), y.astype(wide))
                err = ulps(f(x, y).astype(wide), r, emin, bits).astype(np.float64)
                print(f"np.{name} {dtype.__name__}: max {err.max():.3f} ULP, mean {err.mean():.3f}")
            continue
        f = getattr(np, {"asin": "arcsin", "acos": "arccos", "atan": "arctan"}.get(name, name))
        x32 = sweep(*domains[0], np.float32)
        y32, r32 = f(x32).astype(np.float64), f(x32.astype(np.float64))
        ok = np.isfinite(r32) & (np.abs(r32) < 3.4e38)
        e32 = ulps(y32[ok], r32[ok], -126, 23)
        x64 = sweep(*domains[1], np.float64)
        y64, r64 = f(x64).astype(np.longdouble), f(x64.astype(np.longdouble))
        ok = np.isfinite(r64) & (np.abs(r64) < 1.7e308)
        e64 = ulps(y64[ok], r64[ok], -1022, 52).astype(np.float64)
        print(f"np.{name} float32: max {e32.max():.3f} ULP at x = {x32[ok][e32.argmax()]}, mean {e32.mean():.3f}")
        print(f"np.{name} float64: max {e64.max():.3f} ULP at x = {x64[ok][e64.argmax()]}, mean {e64.mean():.3f}")
