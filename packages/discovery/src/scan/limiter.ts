/** Runs an async task once fewer than the limit's concurrency are running. */
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

/**
 * A limiter that runs at most `concurrency` tasks at once, starting queued tasks in the order
 * they were submitted.
 *
 * @example
 * ```ts
 * const limit = createLimiter(64);
 * const texts = await Promise.all(files.map((file) => limit(() => readFile(file, 'utf8'))));
 * ```
 */
export function createLimiter(concurrency: number): Limiter {
  let running = 0;
  const queue: (() => void)[] = [];
  let head = 0;
  const next = () => {
    running--;
    const start = queue[head];
    if (start === undefined) return;
    head++;
    if (head === queue.length) {
      queue.length = 0;
      head = 0;
    }
    start();
  };
  const run = <T>(task: () => Promise<T>): Promise<T> => {
    running++;
    let promise: Promise<T>;
    try {
      promise = task();
    } catch (error) {
      promise = Promise.reject(error);
    }
    return promise.finally(next);
  };
  return <T>(task: () => Promise<T>): Promise<T> => {
    if (running < concurrency) return run(task);
    return new Promise<T>((resolve, reject) => {
      queue.push(() => {
        run(task).then(resolve, reject);
      });
    });
  };
}
