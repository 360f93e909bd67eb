// Entry of one memory probe, in a fresh process forked by `measureMemory`:
//   node bench/index.ts --memory-probe <probe> <fixtures JSON>
// Sends its rows to the parent over IPC and exits.
import type { BoundaryFixtures } from './fixtures.js';
import { MEMORY_PROBES, type MemoryProbe, runMemoryProbe } from './memory.js';

const [, , , probe, fixtures] = process.argv;
if (!MEMORY_PROBES.includes(probe as MemoryProbe) || fixtures === undefined || process.send === undefined)
  throw new Error('usage (forked with IPC): node bench/index.ts --memory-probe <probe> <fixtures JSON>');
const rows = await runMemoryProbe(probe as MemoryProbe, JSON.parse(fixtures) as BoundaryFixtures);
process.send(rows, () => process.exit(0));
