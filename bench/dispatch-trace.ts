// Started by the dispatch suite (bench/dispatch.ts) with LANES_TRACE=1, so
// that only this process pays for the trace: prints the breakdown as JSON.
import * as lanes from 'lanes';
import { breakdown } from './dispatch.js';

const rows = await breakdown(process.argv.includes('--quick'));
process.stdout.write(`${JSON.stringify(rows)}\n`);
lanes.close();
