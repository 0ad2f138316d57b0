// Squaring a list on every thread with lanes.map (blocking, like Pool.map).
import * as lanes from 'lanes';

const square = await lanes.task(new URL('./tasks-functions.mjs', import.meta.url));
console.log(lanes.map(square, [1, 2, 3, 4, 5, 6, 7, 8])); // [ 1, 4, 9, 16, 25, 36, 49, 64 ]
