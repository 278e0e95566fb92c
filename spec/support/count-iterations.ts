// Counts the entries that Map and Array iteration visit while `run` runs: a linear scan of a
// collection shows up as a count that grows with the collection, whatever the clock says.
type Patched = { readonly owner: object; readonly key: PropertyKey; readonly original: unknown };

/**
 * Runs `run` with every Map and Array iterator (and forEach) counting the entries it yields.
 *
 * @returns what `run` returned and the number of entries visited.
 */
export function countIterations<T>(run: () => T): { readonly value: T; readonly visited: number } {
  let visited = 0;
  const patched: Patched[] = [];
  const countingIterator = (owner: object, key: PropertyKey) => {
    const original = Reflect.get(owner, key) as (this: unknown) => Iterator<unknown>;
    patched.push({ owner, key, original });
    Reflect.set(owner, key, function (this: unknown) {
      const inner = original.call(this);
      return {
        next: () => {
          const step = inner.next();
          if (!step.done) visited += 1;
          return step;
        },
        [Symbol.iterator]() {
          return this;
        },
      };
    });
  };
  const countingForEach = (owner: object) => {
    const original = Reflect.get(owner, 'forEach') as (this: unknown, ...args: unknown[]) => void;
    patched.push({ owner, key: 'forEach', original });
    Reflect.set(owner, 'forEach', function (this: unknown, fn: (...a: unknown[]) => void) {
      original.call(this, (...a: unknown[]) => {
        visited += 1;
        fn(...a);
      });
    });
  };
  for (const key of [Symbol.iterator, 'entries', 'keys', 'values'] as const) {
    countingIterator(Map.prototype, key);
    countingIterator(Array.prototype, key);
  }
  countingForEach(Map.prototype);
  countingForEach(Array.prototype);
  try {
    return { value: run(), visited };
  } finally {
    for (const { owner, key, original } of patched.reverse()) Reflect.set(owner, key, original);
  }
}
