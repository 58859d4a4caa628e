#!/usr/bin/env node
// The `djongoose` executable. Everything it does is in program.ts, so tests
// and other tools can run the same CLI in-process with run().
import { run } from './program.js';

process.exitCode = await run(process.argv.slice(2));
