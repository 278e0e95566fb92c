import { of, pipe, map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { type Command, type EventDef, fatalEvent, FATAL } from '../../lib/model/definitions.js';
import type { Logger } from '../../lib/model/logger.js';
import type { FatalPayload } from '../../lib/model/fatal-payload.js';
import type { ActionResult } from '../../lib/model/outcomes.js';
import { runAction$ } from '../../lib/streams/dispatch.js';
import { anAction } from './fixtures.js';

const retrieved: EventDef<string> = { name: 'RotaRetrieved' };
const failed: EventDef<string> = { name: 'RotaFailed' };
const typo: EventDef<string> = { name: 'RotaRetreived' };

describe('runAction$ with an event its command does not declare', () => {
  let scheduler: TestScheduler;
  const a = anAction('7');

  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  const rota = (overrides: Partial<Command>): Command => ({
    name: 'Rota',
    outputEvents: [retrieved, failed],
    ...overrides,
  });
  const undeclared = (command = 'Rota', handlerMs = 0): ActionResult => ({
    action: a,
    outcome: 'fatal',
    handlerMs,
    attempts: 1,
    event: {
      eventDef: { name: FATAL },
      payload: {
        reason: 'undeclared-event',
        message:
          `handler of command "${command}" produced the event "RotaRetreived", ` +
          'which the command does not declare (its output events: RotaRetrieved, RotaFailed)',
        command,
        actionId: '7',
      } satisfies FatalPayload,
    },
  });

  it('completes the action FATAL undeclared-event, naming the command and its events', () => {
    scheduler.run(({ expectObservable }) => {
      const handler = () => ({ eventDef: typo, payload: 'Ann' });
      expectObservable(runAction$(a, { commands: [rota({ handler })] }, scheduler)).toBe('(r|)', {
        r: undeclared(),
      });
    });
  });

  it('checks the first event of an observable handler when it comes', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const handler = () => cold('--e', { e: { eventDef: typo, payload: 'Ann' } });
      expectObservable(runAction$(a, { commands: [rota({ handler })] }, scheduler)).toBe('--(r|)', {
        r: undeclared('Rota', 2),
      });
    });
  });

  it('checks the event of a pipeline too', () => {
    scheduler.run(({ expectObservable }) => {
      const pipeline = pipe(map(() => ({ eventDef: typo, payload: 'Ann' })));
      expectObservable(runAction$(a, { commands: [rota({ pipeline })] }, scheduler)).toBe('(r|)', {
        r: undeclared(),
      });
    });
  });

  it('logs the action as failed, with the payload that says why', () => {
    const logger = jasmine.createSpyObj<Logger>('logger', ['error', 'warn', 'info', 'debug']);
    scheduler.run(() => {
      const handler = () => ({ eventDef: typo, payload: 'Ann' });
      runAction$(a, { commands: [rota({ handler })], logger }, scheduler).subscribe();
    });
    expect(logger.warn.calls.allArgs()).toEqual([
      [
        'action 7 of command "Rota" failed',
        {
          actionId: '7',
          command: 'Rota',
          reason: 'undeclared-event',
          payload: undeclared().event.payload,
        },
      ],
    ]);
  });

  it('lets declared events and FATAL through as they are', () => {
    scheduler.run(({ expectObservable }) => {
      const declared = rota({ handler: () => of({ eventDef: failed, payload: 'no rota' }) });
      const fatal = rota({ handler: () => fatalEvent('bad input') });
      expectObservable(runAction$(a, { commands: [declared] }, scheduler)).toBe('(r|)', {
        r: {
          action: a,
          outcome: 'success',
          event: { eventDef: failed, payload: 'no rota' },
          handlerMs: 0,
          attempts: 1,
        },
      });
      expectObservable(runAction$(a, { commands: [fatal] }, scheduler)).toBe('(r|)', {
        r: {
          action: a,
          outcome: 'fatal',
          event: fatalEvent('bad input'),
          handlerMs: 0,
          attempts: 1,
        },
      });
    });
  });
});
