/**
 * A value that is ready now, or later. The page pipeline (find, check, write) returns plain values when
 * every answer is local (no checks, or all from the lockfile) and promises only when it must wait.
 *
 * Why: Eleventy awaits each page's transforms in lockstep with every other page's, so a page that
 * pauses, even for one microtask, keeps everything it found alive while all the other pages find
 * theirs; the young garbage of a thousand pages then survives collections and is copied. Finished in
 * one synchronous pass, it dies young. (bench/ measures the build both ways; figures in bench/results/.)
 */
export type Eventually<T> = T | Promise<T>;

// Not named `then`: a module exporting `then` is a thenable to `await import()`.
/** `next(value)`, now if the value is ready, else when it is. */
export function andThen<T, R>(value: Eventually<T>, next: (value: T) => Eventually<R>): Eventually<R> {
  return value instanceof Promise ? value.then(next) : next(value);
}

/** `next(a, b)`, now if both are ready, else when both are. */
export function andThenBoth<A, B, R>(a: Eventually<A>, b: Eventually<B>, next: (a: A, b: B) => Eventually<R>): Eventually<R> {
  if (a instanceof Promise || b instanceof Promise) return Promise.all([a, b]).then(([x, y]) => next(x, y));
  return next(a, b);
}

/** Every value, now if all are ready, else when all are. */
export function allNow<T>(values: ReadonlyArray<Eventually<T>>): Eventually<T[]> {
  return values.some((value) => value instanceof Promise) ? Promise.all(values) : (values as T[]);
}
