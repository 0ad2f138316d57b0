// lanes internals, for tests that reach below the public API (the built
// modules, so that they are the same instances the public API uses).
export { getRuntime } from '../../dist/dispatch/runtime.js';
export { plan } from '../../dist/pool/plan.js';
export { Allocator } from '../../dist/memory/allocator.js';
