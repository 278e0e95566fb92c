import { TestScheduler } from 'rxjs/testing';
import { map } from 'rxjs';
import type { HandlerFn } from '../../lib/model/definitions.js';
import type { FatalPayload } from '../../lib/model/fatal-payload.js';
import { dispatch } from '../../lib/streams/dispatch.js';
import { anAction, command, ok } from './fixtures.js';
import { hostileValues } from './hostile-values.js';

describe('dispatch: a handler whose returned value throws when inspected (finding 10)', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  for (const [what, hostile, message] of hostileValues) {
    it(`completes that action FATAL and goes on with the next: ${what}`, () => {
      const handler = ((input: { id: string }) =>
        input.id === 'bad' ? hostile() : ok(input.id)) as unknown as HandlerFn;
      scheduler.run(({ cold, expectObservable }) => {
        const actions$ = cold('a-b-c|', {
          a: anAction('first'),
          b: anAction('bad'),
          c: anAction('last'),
        });
        const results$ = actions$.pipe(
          dispatch({ commands: [command({ handler })] }, scheduler),
          map((r) => {
            const payload = r.event.payload as FatalPayload;
            return r.outcome === 'success'
              ? `${r.action.id}: ${String(r.event.payload)}`
              : `${r.action.id}: ${r.outcome} ${r.event.eventDef.name} ${payload.reason} (${payload.error?.message})`;
          }),
        );
        expectObservable(results$).toBe('x-y-z|', {
          x: 'first: first',
          y: `bad: fatal FATAL errored (${message})`,
          z: 'last: last',
        });
      });
    });
  }
});
