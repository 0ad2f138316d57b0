// The expression language: tokens, then a recursive-descent parser into a
// tree whose calls are already resolved against the op table. Every error
// is a SyntaxError (or, for an unknown function, a ReferenceError) that
// points into the expression.
//
//   expression := value | reduction '(' args ')'              reductions outermost only
//   value      := term (('+' | '-') term)*
//   term       := unary (('*' | '/') unary)*
//   unary      := ('-' | '+') unary | power                   so -a**b is -(a**b)
//   power      := primary ('**' unary)?                       right-associative
//   primary    := number | name | name '(' args ')' | '(' value ')'
//   where      := 'where' '(' value compare value ',' value ',' value ')'
import { exprSyntax, unknownName } from '../errors.js';
import { REGISTRY, type OpRow } from '../ops/registry.js';
import { COMPARISONS, type Comparison } from './comparisons.js';
import { callable, callableNames, nearest, operatorRow, unaryRow, type ReductionOp } from './names.js';

export type Node =
  | { type: 'number'; value: number; at: number }
  | { type: 'name'; name: string; at: number }
  | { type: 'op'; row: OpRow; args: Node[]; at: number }
  | { type: 'where'; cond: Compare; then: Node; otherwise: Node; at: number }
  | { type: 'reduce'; op: ReductionOp; row?: OpRow; args: Node[]; at: number };

export interface Compare {
  op: Comparison;
  left: Node;
  right: Node;
  at: number;
}

export interface Parsed {
  expression: string;
  root: Node;
  /** Variable names in order of first use, with where they first appear. */
  names: Map<string, number>;
}

/** Deeper trees are refused: they would overflow the stack of the recursive passes. */
const MAX_DEPTH = 200;

type Token = { kind: 'number' | 'name' | 'op' | 'end'; text: string; at: number };

const TOKEN = /\s*(?:(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(\*\*|<=|>=|==|!=|[-+*/(),<>]))/y;

function tokenize(expression: string, fn: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  for (;;) {
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(expression);
    if (!m) {
      const rest = expression.slice(at);
      const start = at + (rest.length - rest.trimStart().length);
      if (start >= expression.length) break;
      throw exprSyntax(fn, expression, start, `unexpected character '${expression[start]}'`);
    }
    const text = m[1] ?? m[2] ?? m[3];
    const start = TOKEN.lastIndex - text.length;
    // A number running into a name (2a, 1e) is a typo, not two tokens.
    if (m[1] !== undefined && /[A-Za-z_.]/.test(expression[TOKEN.lastIndex] ?? '')) {
      throw exprSyntax(fn, expression, TOKEN.lastIndex, `unexpected '${expression[TOKEN.lastIndex]}' after the number ${text}`);
    }
    tokens.push({ kind: m[1] !== undefined ? 'number' : m[2] !== undefined ? 'name' : 'op', text, at: start });
    at = TOKEN.lastIndex;
  }
  tokens.push({ kind: 'end', text: '', at: expression.length });
  return tokens;
}

const isComparison = (text: string): text is Comparison => Object.hasOwn(COMPARISONS, text);

export function parse(expression: string, fn: string): Parsed {
  const tokens = tokenize(expression, fn);
  const names = new Map<string, number>();
  let i = 0;
  let depth = 0;
  const peek = () => tokens[i];
  const fail = (at: number, message: string) => exprSyntax(fn, expression, at, message);
  const describe = (t: Token) => (t.kind === 'end' ? 'the end of the expression' : `'${t.text}'`);
  const expect = (text: string, context: string) => {
    const t = tokens[i];
    if (t.text !== text || t.kind !== 'op') throw fail(t.at, `expected '${text}' ${context}, got ${describe(t)}`);
    i++;
  };
  const enter = (at: number) => {
    if (++depth > MAX_DEPTH) throw fail(at, `the expression nests more than ${MAX_DEPTH} deep`);
  };
  const op = (row: OpRow, args: Node[], at: number): Node => ({ type: 'op', row, args, at });

  /** A value; a comparison right after it is misplaced. */
  function value(): Node {
    const node = sum();
    const t = peek();
    if (t.kind === 'op' && isComparison(t.text)) throw fail(t.at, `a comparison ('${t.text}') may only be the condition of where(cond, x, y)`);
    return node;
  }

  // An operator chain nests one deeper per operator (the tree is left-deep).
  function sum(): Node {
    const outer = depth;
    let left = term();
    for (let t = peek(); t.kind === 'op' && (t.text === '+' || t.text === '-'); t = peek()) {
      i++;
      enter(t.at);
      left = op(operatorRow(t.text === '+' ? 'add' : 'sub')!, [left, term()], t.at);
    }
    depth = outer;
    return left;
  }

  function term(): Node {
    const outer = depth;
    let left = unary();
    for (let t = peek(); t.kind === 'op' && (t.text === '*' || t.text === '/'); t = peek()) {
      i++;
      enter(t.at);
      left = op(operatorRow(t.text === '*' ? 'mul' : 'div')!, [left, unary()], t.at);
    }
    depth = outer;
    return left;
  }

  function unary(): Node {
    const t = peek();
    if (t.kind === 'op' && (t.text === '-' || t.text === '+')) {
      i++;
      enter(t.at);
      const operand = unary();
      depth--;
      return t.text === '+' ? operand : op(unaryRow('neg')!, [operand], t.at);
    }
    return power();
  }

  function power(): Node {
    const base = primary();
    const t = peek();
    if (t.kind !== 'op' || t.text !== '**') return base;
    const row = operatorRow('pow');
    if (!row) throw fail(t.at, "'**' needs lanes.pow, which this version lacks");
    i++;
    enter(t.at);
    const exponent = unary();
    depth--;
    return op(row, [base, exponent], t.at);
  }

  function primary(): Node {
    const t = tokens[i++];
    if (t.kind === 'number') return { type: 'number', value: Number(t.text), at: t.at };
    if (t.kind === 'name') {
      if (peek().text !== '(' || peek().kind !== 'op') {
        if (!names.has(t.text)) names.set(t.text, t.at);
        return { type: 'name', name: t.text, at: t.at };
      }
      return call(t);
    }
    if (t.kind === 'op' && t.text === '(') {
      enter(t.at);
      const inner = value();
      expect(')', `to close the '(' at position ${t.at}`);
      depth--;
      return inner;
    }
    throw fail(t.at, `expected a number, a name or '(', got ${describe(t)}`);
  }

  function call(name: Token): Node {
    const forms = callable(name.text);
    if (!forms && REGISTRY.some((row) => row.name === name.text)) {
      throw fail(name.at, `${name.text}() runs on its own (lanes.${name.text}), not inside an expression: each of its results depends on the elements before it`);
    }
    if (!forms) throw unknownName(fn, expression, name.at, 'function', name.text, nearest(name.text, callableNames()));
    i++; // (
    enter(name.at);
    const args: Node[] = [];
    let cond: Compare | undefined;
    const isWhere = forms[0].kind === 'where';
    if (peek().text !== ')') {
      for (;;) {
        if (isWhere && args.length === 0 && cond === undefined) cond = condition();
        else args.push(value());
        if (peek().text !== ',' || peek().kind !== 'op') break;
        i++;
      }
    }
    expect(')', `to close the call of ${name.text}() at position ${name.at}`);
    depth--;
    const given = args.length + (cond ? 1 : 0);
    const form = forms.find((f) => f.arity === given);
    if (!form) {
      const arities = forms.map((f) => f.arity).join(' or ');
      throw fail(name.at, `${name.text}() takes ${arities} argument${arities === '1' ? '' : 's'}, got ${given}`);
    }
    if (form.kind === 'where') return { type: 'where', cond: cond!, then: args[0], otherwise: args[1], at: name.at };
    if (form.kind === 'reduction') return { type: 'reduce', op: form.op, row: form.row, args, at: name.at };
    return op(form.row, args, name.at);
  }

  function condition(): Compare {
    const start = peek().at;
    const left = sum();
    const t = peek();
    if (t.kind !== 'op' || !isComparison(t.text)) throw fail(start, 'the condition of where(cond, x, y) must be a comparison, such as a > b');
    i++;
    const right = sum();
    const next = peek();
    if (next.kind === 'op' && isComparison(next.text)) throw fail(next.at, 'comparisons do not chain; where() takes one');
    return { op: t.text, left, right, at: t.at };
  }

  const root = value();
  if (peek().kind !== 'end') throw fail(peek().at, `unexpected ${describe(peek())}`);
  checkReductions(root, true, fail);
  return { expression, root, names };
}

/** A reduction applies to the whole expression: it must be the root, and hold none. */
function checkReductions(node: Node, isRoot: boolean, fail: (at: number, message: string) => SyntaxError): void {
  if (node.type === 'reduce' && !isRoot) {
    throw fail(node.at, `${node.op}() reduces a whole expression to a number, so it must be outermost`);
  }
  const children =
    node.type === 'op' || node.type === 'reduce' ? node.args : node.type === 'where' ? [node.cond.left, node.cond.right, node.then, node.otherwise] : [];
  for (const child of children) checkReductions(child, false, fail);
}
