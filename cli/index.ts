#!/usr/bin/env node
// The `djongoose` executable. Everything it does is in program.ts, so tests
// and other tools can run the same CLI in-process with run(). No top-level
// await: the package is also built as CommonJS.
import { run } from './program.js';

void run(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
