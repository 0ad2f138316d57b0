// Errors of fused expressions: malformed text is a SyntaxError pointing at
// the spot, an unknown name a ReferenceError with a suggestion, operands get
// the ops' own TypeError/RangeError messages, and nothing is written on
// error. A fuzz run throws random strings and token soups at the parser.
import * as lanes from 'lanes';
import { describe, expect, it } from 'vitest';
import { random } from './support/data.js';

const a = lanes.from([1, 2, 3]);
const b = lanes.from([4, 5, 6]);

function error(run: () => unknown): Error {
  try {
    run();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('syntax errors', () => {
  const cases: [string, number, RegExp][] = [
    ['2 * (a + b', 10, /expected '\)' to close the '\(' at position 4/],
    ['a +* b', 3, /expected a number, a name or '\('/],
    ['a @ b', 2, /unexpected character '@'/],
    ['2a', 1, /unexpected 'a' after the number 2/],
    ['a < b', 2, /a comparison \('<'\) may only be the condition of where/],
    ['where(a, a, b)', 6, /must be a comparison/],
    ['where(a < b < a, a, b)', 12, /comparisons do not chain/],
    ['exp(a, b)', 0, /exp\(\) takes 1 argument, got 2/],
    ['min(a, b, a)', 0, /min\(\) takes 2 or 1 arguments?, got 3|min\(\) takes 1 or 2/],
    ['sum(a) + 1', 0, /sum\(\) reduces a whole expression to a number, so it must be outermost/],
    ['exp(sum(a))', 4, /must be outermost/],
    ['a ** ', 5, /expected a number, a name or '\(', got the end of the expression/],
    ['a b', 2, /unexpected 'b'/],
    ['', 0, /expected a number, a name or '\(', got the end of the expression/],
  ];
  for (const [source, at, message] of cases) {
    it(`'${source}'`, () => {
      const e = error(() => lanes.evaluate(source, { a, b }));
      expect(e).toBeInstanceOf(SyntaxError);
      expect(e.message).toMatch(message);
      expect(e.message).toContain(`at position ${at}\n  ${source}\n  ${' '.repeat(at)}^`);
    });
  }

  it('a nesting too deep for the stack is a SyntaxError', () => {
    expect(() => lanes.compile('('.repeat(5000) + 'a' + ')'.repeat(5000))).toThrow(SyntaxError);
    expect(() => lanes.compile(Array(5000).fill('a').join('+'))).toThrow(SyntaxError);
    expect(() => lanes.compile('-'.repeat(5000) + 'a')).toThrow(SyntaxError);
  });
});

describe('unknown names', () => {
  it('a variable: a ReferenceError naming it and the nearest variable', () => {
    const e = error(() => lanes.evaluate('2*alpha + b', { alpah: a, b }));
    expect(e).toBeInstanceOf(ReferenceError);
    expect(e.message).toBe("lanes.evaluate: unknown variable 'alpha' at position 2; did you mean 'alpah'?\n  2*alpha + b\n    ^");
  });

  it('a function: a ReferenceError naming it and the nearest op', () => {
    const e = error(() => lanes.evaluate('expp(a)', { a }));
    expect(e).toBeInstanceOf(ReferenceError);
    expect(e.message).toBe("lanes.evaluate: unknown function 'expp' at position 0; did you mean 'exp'?\n  expp(a)\n  ^");
  });

  it('a scan (cumsum): a SyntaxError saying it runs on its own', () => {
    const e = error(() => lanes.evaluate('cumsum(a) + 1', { a }));
    expect(e).toBeInstanceOf(SyntaxError);
    expect(e.message).toContain('cumsum() runs on its own (lanes.cumsum), not inside an expression');
  });

  it('inherited properties are no variables', () => {
    expect(() => lanes.evaluate('a + toString', { a })).toThrow(ReferenceError);
  });
});

describe('operands are checked as the ops check them, and nothing is written', () => {
  const out = lanes.from([7, 7, 7]);
  const unchanged = () => expect(Array.from(out)).toEqual([7, 7, 7]);
  it('mixed dtypes', () => {
    const f = lanes.from(new Float32Array([1, 2, 3]));
    expect(() => lanes.evaluate('a + f', { a, f }, out)).toThrow(
      new TypeError("lanes.evaluate: 'a' is float64 but 'f' is float32; convert one with lanes.from(f, 'float64')"),
    );
    unchanged();
  });
  it('lengths', () => {
    expect(() => lanes.evaluate('a + c', { a, c: lanes.from([1, 2]) }, out)).toThrow(new RangeError("lanes.evaluate: 'a' has length 3 but 'c' has length 2"));
    expect(() => lanes.evaluate('a + 1', { a }, lanes.empty(4))).toThrow(new RangeError("lanes.evaluate: 'a' has length 3 but 'out' has length 4"));
    unchanged();
  });
  it('types, freed arrays, bad number[] elements', () => {
    expect(() => lanes.evaluate('a + s', { a, s: 'x' }, out)).toThrow(
      new TypeError("lanes.evaluate: 's' must be a Float32Array, Float64Array, number[] or number, got a string"),
    );
    const gone = lanes.from([1, 2, 3]);
    lanes.free(gone);
    expect(() => lanes.evaluate('a + g', { a, g: gone }, out)).toThrow(new TypeError("lanes.evaluate: 'g' refers to memory released by lanes.free"));
    expect(() => lanes.evaluate('a + l', { a, l: [1, 'x', 3] }, out)).toThrow(new TypeError("lanes.evaluate: 'l[1]' must be a number, got a string"));
    expect(() => lanes.evaluate('a + 1', null as never)).toThrow(TypeError);
    expect(() => lanes.evaluate(3 as never, { a })).toThrow(new TypeError("lanes.evaluate: 'expression' must be a string, got the number 3"));
    unchanged();
  });
  it('an expression of numbers only, or a reduction given out', () => {
    expect(() => lanes.evaluate('k + 1', { k: 2 })).toThrow(TypeError);
    expect(() => lanes.evaluate('sum(a)', { a }, out)).toThrow(new TypeError("lanes.evaluate: a reduction returns a number, so it takes no 'out'"));
    unchanged();
  });
});

describe('parser fuzz', () => {
  const TOKENS = ['a', 'b', 'x', '1', '2.5', '.5', '1e3', '+', '-', '*', '/', '**', '(', ')', ',', '<', '<=', '>', '>=', '==', '!=', '=', '!', 'exp', 'min', 'max', 'sum', 'dot', 'mean', 'where', 'sqrt', 'neg', 'abs', 'foo', ' ', '@', '1e', '..'];
  it('10k random strings and 10k token soups: only SyntaxError, ReferenceError, TypeError or RangeError; never a hang or a trap', () => {
    const next = random(8);
    const x = lanes.from([1, 2, 3]);
    const vars = { a, b, x };
    const seen: Record<string, number> = {};
    for (let i = 0; i < 20_000; i++) {
      let source = '';
      const length = Math.floor(next() * 24);
      if (i % 2 === 0) for (let k = 0; k < length; k++) source += String.fromCharCode(32 + Math.floor(next() * 95));
      else for (let k = 0; k < length; k++) source += TOKENS[Math.floor(next() * TOKENS.length)] + (next() < 0.3 ? ' ' : '');
      let kind = 'ok';
      try {
        lanes.evaluate(source, vars);
      } catch (e) {
        kind = (e as Error).constructor.name;
        if (!(e instanceof SyntaxError || e instanceof ReferenceError || e instanceof TypeError || e instanceof RangeError)) throw e;
        if ((e instanceof SyntaxError || e instanceof ReferenceError) && !(e as Error).message.includes(`\n  ${source}\n`)) throw e;
        if (e instanceof RangeError && !(e as Error).message.includes('of zero elements')) throw e;
      }
      seen[kind] = (seen[kind] ?? 0) + 1;
    }
    expect(seen.SyntaxError, JSON.stringify(seen)).toBeGreaterThan(10_000);
    expect(seen.ok, JSON.stringify(seen)).toBeGreaterThan(20);
    expect(seen.ReferenceError, JSON.stringify(seen)).toBeGreaterThan(20);
  });
});
