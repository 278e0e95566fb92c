/**
 * What a handler may return that throws as soon as the SDK looks at it to tell what it is
 * (an event, a promise, an observable), each with the message it throws.
 */
export const hostileValues: ReadonlyArray<[string, () => unknown, string]> = [
  [
    'an object whose `then` getter throws',
    () => ({
      get then(): never {
        throw new Error('then getter exploded');
      },
    }),
    'then getter exploded',
  ],
  [
    'a Proxy whose every property read throws',
    () =>
      new Proxy(
        {},
        {
          get(): never {
            throw new Error('proxy trap exploded');
          },
        },
      ),
    'proxy trap exploded',
  ],
];
