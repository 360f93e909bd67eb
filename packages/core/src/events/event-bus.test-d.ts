// Type tests: `pnpm typecheck` fails if a misuse below stops being a compile error.
import { LocalEventBus } from './local-event-bus.js';

interface Events {
  greet: { name: string };
}

const bus = new LocalEventBus<Events>();
// @ts-expect-error unknown event name
bus.emit('nope', 1);
// @ts-expect-error wrong payload type
bus.emit('greet', { name: 1 });
// @ts-expect-error listener expects the wrong payload
bus.on('greet', (payload: number) => payload);
