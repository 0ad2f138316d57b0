// Which kernel module runs: relaxed SIMD where the engine validates it,
// strict otherwise, and LANES_SIMD to force one. Every thread runs the one
// chosen, so results stay bit-identical for any thread count (threads.test.ts
// checks that under whichever module this engine picks).
import * as lanes from 'lanes';
import { describe, expect, it } from 'vitest';
import { BUILDS } from './support/builds.js';
import { runScript } from './support/child.js';

const relaxedWorks = BUILDS.find((b) => b.name === 'relaxed')!.compiles;
const report = `import * as lanes from 'lanes'; const i = lanes.info(); console.log(JSON.stringify({ simd: i.simd, e: lanes.exp(new Float32Array([1]))[0] }));`;

describe('lanes.info()', () => {
  it('names the module this engine runs, and the engine', () => {
    const i = lanes.info();
    expect(i.simd).toBe(process.env.LANES_SIMD || (relaxedWorks ? 'relaxed' : 'strict'));
    expect(i.node).toBe(process.versions.node);
    expect(i.v8).toBe(process.versions.v8);
    expect(i.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(i.threads).toBe(lanes.configure().threads);
  });
});

describe('LANES_SIMD', () => {
  it('strict forces the plain module', () => {
    const child = runScript(report, { LANES_SIMD: 'strict' });
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toEqual({ simd: 'strict', e: Math.fround(Math.E) });
  });

  it.runIf(relaxedWorks)('relaxed asks for the relaxed module, which this engine runs', () => {
    const child = runScript(report, { LANES_SIMD: 'relaxed' });
    expect(JSON.parse(child.stdout)).toEqual({ simd: 'relaxed', e: Math.fround(Math.E) });
  });

  it.runIf(!relaxedWorks)('relaxed on an engine without relaxed SIMD is a RangeError that says so', () => {
    const child = runScript(report, { LANES_SIMD: 'relaxed' });
    expect(child.status).not.toBe(0);
    expect(child.stderr).toContain(`RangeError: lanes: LANES_SIMD=relaxed, but this engine (V8 ${process.versions.v8}) does not validate relaxed SIMD`);
  });

  it('any other value is a RangeError naming it', () => {
    const child = runScript(report, { LANES_SIMD: 'fast' });
    expect(child.status).not.toBe(0);
    expect(child.stderr).toContain("RangeError: lanes: LANES_SIMD must be 'strict' or 'relaxed' (or unset, to choose by the engine), got 'fast'");
  });
});
