// The sweeps of a binary op held to a ULP bound (atan2, hypot, pow), for
// both dtypes and both builds: each family of pairs against the correctly
// rounded reference (float32: an f64 estimate, see float32Reference), the
// special values exactly in SIMD and scalar, and the scalar twin giving the
// SIMD kernel's bits.
import { describe, expect, it } from 'vitest';
import { BUILDS, runner } from './builds.js';
import { random, sameValue } from './data.js';
import { errorAgainst, float32Reference, type Reference } from './reference.js';

type Dtype = 'float32' | 'float64';
const VIEW = { float32: Float32Array, float64: Float64Array } as const;

/** Pairs per family: 2^18 (LANES_SWEEP=full: 2^20; small: 2^16, as CI runs it on the later Node versions). */
export const N = { full: 1 << 20, small: 1 << 16 }[process.env.LANES_SWEEP ?? ''] ?? 1 << 18;

/** What a binary op's families are built from, for one dtype. */
export function pairMaker(dtype: Dtype) {
  const [emin, emax] = dtype === 'float32' ? [-149, 127] : [-1074, 1023];
  const round = dtype === 'float32' ? Math.fround : (v: number) => v;
  /** N pairs f(next), each rounded to the dtype, from the seeded generator. */
  const make = (seed: number, f: (next: () => number) => [number, number]) => {
    const next = random(seed);
    const x = new Float64Array(N), y = new Float64Array(N);
    for (let i = 0; i < N; i++) [x[i], y[i]] = f(next).map(round);
    return [x, y] as [Float64Array, Float64Array];
  };
  const sign = (next: () => number) => (next() < 0.5 ? -1 : 1);
  /** A positive value in any binade of the dtype, subnormal ones included. */
  const anyBinade = (next: () => number) => 2 ** (emin + next() * (emax - emin + 1)) * (1 + next());
  return { emin, emax, round, make, sign, anyBinade };
}

export interface BinarySweep {
  /** Pairs x, y by family name, both of the dtype. */
  families: (dtype: Dtype) => Record<string, [Float64Array, Float64Array]>;
  reference: (x: number, y: number) => Reference;
  /** The op in plain f64 (Math.*), within a few f64 ULPs: float32's sweeps measure against it (float32Reference). */
  estimate: (x: number, y: number) => number;
  /** [x, y, the result]; for float32, the rows whose x and y are float32, their result rounded to float32. */
  specials: [number, number, number][];
  /** The max error each dtype's sweeps must stay below. */
  bound: Record<Dtype, number>;
  /** The families the scalar twin is compared on (their first 100,003 pairs). */
  twins: string[];
}

export function describeBinarySweeps(op: string, { families, reference, estimate, specials, bound, twins }: BinarySweep): void {
  for (const build of BUILDS) for (const dtype of ['float32', 'float64'] as const) {
    describe.runIf(build.compiles)(`${op} ${dtype}, ${build.name} build`, () => {
      const View = VIEW[dtype];
      const run = build.compiles ? runner(build) : () => new View();
      const kernel = `v${op}_${dtype === 'float32' ? 'f32' : 'f64'}`;

      for (const [family, [xs, ys]] of Object.entries(families(dtype))) {
        it(`${family}: max error below 1 ULP`, () => {
          const x = new View(xs), y = new View(ys);
          const r = run(kernel, x, y);
          let max = 0, worst = 0;
          for (let i = 0; i < x.length; i++) {
            const e = errorAgainst(dtype, r[i], dtype === 'float32' ? float32Reference(estimate(x[i], y[i]), () => reference(x[i], y[i])) : reference(x[i], y[i]));
            if (e === Infinity) expect.fail(`${op}(${x[i]}, ${y[i]}) = ${r[i]}`);
            if (e > max) (max = e), (worst = i);
          }
          console.log(`${op} ${dtype} ${build.name} ${family}: max ${max.toFixed(4)} ULP at (${x[worst]}, ${y[worst]})`);
          expect(max).toBeLessThan(bound[dtype]);
        });
      }

      it('special values exactly (C99 Annex F), SIMD and scalar', () => {
        const rows = specials.filter((row) => dtype === 'float64' || row.slice(0, 2).every((v) => Object.is(Math.fround(v), v)));
        const x = new View(rows.map((s) => s[0])), y = new View(rows.map((s) => s[1]));
        for (const r of [run(kernel, x, y), run(`${kernel}_scalar`, x, y)]) {
          // The result rounded to the dtype: atan2's π and π/2.
          rows.forEach(([a, b, want], i) => expect(sameValue(r[i], new View([want])[0]), `${op}(${a}, ${b}) = ${r[i]}`).toBe(true));
        }
      });

      it('the scalar twin gives the same bits as the SIMD kernel', () => {
        for (const family of twins) {
          const [xs, ys] = families(dtype)[family];
          const x = new View(xs.subarray(0, 100_003)), y = new View(ys.subarray(0, 100_003));
          const simd = run(kernel, x, y), scalar = run(`${kernel}_scalar`, x, y);
          let differ = 0;
          for (let i = 0; i < x.length; i++) if (!sameValue(simd[i], scalar[i])) differ++;
          expect(differ, family).toBe(0);
        }
      });
    });
  }
}
