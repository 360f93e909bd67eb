// Entry of a plugin's worker thread (`worker` isolation). An uncaught exception, an
// out-of-memory error and `process.exit()` end this thread only; the host sees them on the Worker.
import { parentPort } from 'node:worker_threads';
import { createPluginChannel, servePlugin } from './plugin-side.js';

const port = parentPort;
if (port === null) throw new Error('worker-main runs inside a worker thread only.');
const channel = createPluginChannel((message) => port.postMessage(message));
port.on('message', (message: unknown) => channel.receive(message));
servePlugin(channel);
