// The entry asc finds for `import ... from "lanes/assembly"` in an installed
// package (node_modules/lanes/assembly.ts); see assembly/lib.ts.
export * from "./assembly/lib";
