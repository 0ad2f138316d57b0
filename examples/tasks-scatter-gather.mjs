// Scatter/gather: parallel() cuts [0, n) into chunks, every thread runs
// sumOfSquares over some of them on the shared array, and combine folds the
// partial sums in chunk order: the same result for any thread count.
import * as lanes from 'lanes';

const sumOfSquares = await lanes.task(new URL('./tasks-functions.mjs', import.meta.url), 'sumOfSquares');
const a = lanes.from(Array.from({ length: 1_000_000 }, (_, i) => (i % 100) / 10));
const results = [];
for (const threads of [1, 2, 4]) {
  lanes.configure({ threads });
  results.push(lanes.parallel(sumOfSquares, a.length, a, { combine: (acc, part) => acc + part, initial: 0 }));
}
console.log(results[0]); // 32835000
console.log(results.every((r) => r === results[0])); // true
