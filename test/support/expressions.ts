// A seeded random expression generator over the op table, and its reference:
// the same expression computed by composing lanes ops one by one (numbers
// folded by the same ops on one-element arrays; where() by a JS select over
// the composed values, since comparisons and selects are exact).
import * as lanes from 'lanes';
import { REGISTRY, type OpRow } from '../../src/ops/registry.js';

type Dtype = 'float32' | 'float64';
type Value = lanes.FloatArray | number;

export type Expr =
  | { kind: 'var'; name: string }
  | { kind: 'num'; value: number }
  | { kind: 'call'; row: OpRow; args: Expr[] }
  | { kind: 'where'; op: string; left: Expr; right: Expr; then: Expr; otherwise: Expr };

const ARITY: Record<string, number> = { unary: 1, binary: 2, ternary: 3 };
const ELEMENTWISE = (REGISTRY as readonly OpRow[]).filter((r) => ARITY[r.kind] !== undefined);
const OPERATORS: Record<string, string> = { add: '+', sub: '-', mul: '*', div: '/' };
const COMPARE = ['<', '<=', '>', '>=', '==', '!='];
const NUMBERS = [0, 1, 2, 0.5, 0.1, 3.7, 1e-3, 100, 1 / 3];

export function generate(next: () => number, names: string[], depth: number): Expr {
  const leaf = depth <= 0 || next() < 0.25;
  if (leaf) {
    return next() < 0.75 ? { kind: 'var', name: names[Math.floor(next() * names.length)] } : { kind: 'num', value: NUMBERS[Math.floor(next() * NUMBERS.length)] };
  }
  if (next() < 0.1) {
    const sub = () => generate(next, names, depth - 1);
    return { kind: 'where', op: COMPARE[Math.floor(next() * COMPARE.length)], left: sub(), right: sub(), then: sub(), otherwise: sub() };
  }
  const row = ELEMENTWISE[Math.floor(next() * ELEMENTWISE.length)];
  return { kind: 'call', row, args: Array.from({ length: ARITY[row.kind] }, () => generate(next, names, depth - 1)) };
}

/** Source text, with operators for + - * / (and unary minus for neg) half the time. */
export function print(e: Expr, next: () => number): string {
  switch (e.kind) {
    case 'var':
      return e.name;
    case 'num':
      return String(e.value);
    case 'where':
      return `where(${print(e.left, next)} ${e.op} ${print(e.right, next)}, ${print(e.then, next)}, ${print(e.otherwise, next)})`;
    case 'call': {
      const args = e.args.map((a) => print(a, next));
      const symbol = OPERATORS[e.row.name];
      if (symbol && next() < 0.5) return `(${args[0]} ${symbol} ${args[1]})`;
      if (e.row.name === 'neg' && next() < 0.5) return `(-${args[0]})`;
      return `${e.row.name}(${args.join(', ')})`;
    }
  }
}

const JS_COMPARE: Record<string, (a: number, b: number) => boolean> = {
  '<': (a, b) => a < b, '<=': (a, b) => a <= b, '>': (a, b) => a > b, '>=': (a, b) => a >= b, '==': (a, b) => a === b, '!=': (a, b) => a !== b,
};

/** The expression by composed lanes ops; numbers stay numbers (rounded to the dtype) where the ops would keep them so. */
export function composed(e: Expr, vars: Record<string, lanes.FloatArray>, dtype: Dtype, n: number): Value {
  const round = dtype === 'float32' ? Math.fround : (x: number) => x;
  switch (e.kind) {
    case 'var':
      return vars[e.name];
    case 'num':
      return round(e.value);
    case 'call': {
      const args = e.args.map((a) => composed(a, vars, dtype, n));
      const op = lanes[e.row.name as 'add'] as unknown as (...a: Value[]) => Value;
      if (args.every((a) => typeof a === 'number')) return (op(...args.map((a) => lanes.from([a as number], dtype))) as lanes.FloatArray)[0];
      if (args.length === 2 || args.every((a) => typeof a !== 'number')) return op(...args);
      return op(...args.map((a) => (typeof a === 'number' ? lanes.empty(n, dtype).fill(a) : a)));
    }
    case 'where': {
      const [l, r, x, y] = [e.left, e.right, e.then, e.otherwise].map((a) => composed(a, vars, dtype, n));
      const at = (v: Value, i: number) => (typeof v === 'number' ? v : v[i]);
      if (typeof l === 'number' && typeof r === 'number') return JS_COMPARE[e.op](l, r) ? x : y;
      const result = lanes.empty(n, dtype);
      for (let i = 0; i < n; i++) result[i] = JS_COMPARE[e.op](at(l, i), at(r, i)) ? at(x, i) : at(y, i);
      return result;
    }
  }
}
