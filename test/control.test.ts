// The control block's layout: every Int32 slot has one meaning. Two features
// that each took a free slot once claimed the same one, and the workers
// stopped waking for jobs: no test failed, only two threads ran no faster
// than one.
import { describe, expect, it } from 'vitest';
import * as C from '../dist/pool/control.js';

describe('the control block', () => {
  it('gives every slot one meaning, below the worker states, their online flags and the message', () => {
    const used = new Map<number, string>();
    const claim = (slot: number, name: string) => {
      expect(used.get(slot), `slot ${slot}: ${name} and ${used.get(slot)}`).toBeUndefined();
      used.set(slot, name);
    };
    const singles = Object.entries(C).filter(([name, v]) => typeof v === 'number' && /^[A-Z_]+$/.test(name) && !['SCALAR_F64', 'STATE', 'LIVE', 'MAX_WORKERS', 'MESSAGE', 'MESSAGE_BYTES', 'CONTROL_BYTES', 'EXTENSION', 'EXTENSION_SLOTS'].includes(name));
    for (const [name, slot] of singles) claim(slot as number, name);
    claim(C.SCALAR_F64 * 2, 'SCALAR_F64 (low)');
    claim(C.SCALAR_F64 * 2 + 1, 'SCALAR_F64 (high)');
    for (let k = 0; k < C.EXTENSION_SLOTS; k++) claim(C.EXTENSION + k, `EXTENSION + ${k}`);
    for (const slot of used.keys()) expect(slot).toBeLessThan(C.STATE);
    expect(C.STATE + C.MAX_WORKERS).toBeLessThan(C.LIVE);
    expect(C.LIVE + C.MAX_WORKERS).toBeLessThan(C.MESSAGE / 4);
  });
});
