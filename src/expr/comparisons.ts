/** The comparisons of `where(cond, x, y)`, by operator, named as wasm's v128 compares (lt, le, …). */
export const COMPARISONS = { '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge', '==': 'eq', '!=': 'ne' } as const;
export type Comparison = keyof typeof COMPARISONS;
