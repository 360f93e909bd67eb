#!/usr/bin/env node
import { run } from './run.js';

// Set the exit code rather than calling process.exit, so buffered stdout is flushed before exit.
run(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
