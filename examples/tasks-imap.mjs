// "double" with imap (lazily, in order), starmap and imapUnordered.
import * as lanes from 'lanes/promises';

const url = new URL('./tasks-functions.mjs', import.meta.url);
const double = await lanes.task(url, 'double');
const power = await lanes.task(url, 'power');

function* naturals() {
  for (let i = 1; ; i++) yield i; // endless: imap reads it only as far as needed
}
const doubled = [];
for await (const y of lanes.imap(double, naturals(), { concurrency: 4 })) {
  doubled.push(y);
  if (doubled.length === 5) break; // stops the rest
}
console.log(doubled); // [ 2, 4, 6, 8, 10 ]

console.log(await lanes.starmap(power, [[2, 10], [3, 3], [10, 2]])); // [ 1024, 27, 100 ]

const unordered = [];
for await (const y of lanes.imapUnordered(double, [1, 2, 3, 4])) unordered.push(y);
console.log(unordered.sort((a, b) => a - b)); // [ 2, 4, 6, 8 ]
