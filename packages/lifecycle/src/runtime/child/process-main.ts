// Entry of a plugin's child process (`process` isolation), forked with an IPC channel under
// Node's permission model.
import { writeSync } from 'node:fs';
import { CRASH_MARKER } from './crash-marker.js';
import { createPluginChannel, servePlugin } from './plugin-side.js';
import { toWireError } from './wire-error.js';

const send = process.send?.bind(process);
if (send === undefined) throw new Error('process-main must be forked with an IPC channel.');

// Written synchronously to stderr, then exit: an IPC message could be lost with the process,
// and the host reads stderr to the end before it decides how the child ended.
process.on('uncaughtException', (error) => {
  try {
    writeSync(2, `\n${CRASH_MARKER}${JSON.stringify(toWireError(error))}\n`);
  } finally {
    process.exit(1);
  }
});
// The host is gone (or disposed us): nothing will ever call this plugin again.
process.on('disconnect', () => process.exit(0));

const channel = createPluginChannel((message) => {
  if (process.connected) send(message);
});
process.on('message', (message: unknown) => channel.receive(message));
servePlugin(channel);
