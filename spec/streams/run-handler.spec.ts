import { map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { Command, EventDef } from '../../lib/model/definitions.js';
import type { Action } from '../../lib/model/wire-types.js';
import { runAction$ } from '../../lib/streams/dispatch.js';
import { anAction } from './fixtures.js';

const done: EventDef<string> = { name: 'Done' };

describe('runAction$ with runHandler', () => {
  let scheduler: TestScheduler;

  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('starts the handler inside the wrapper, once per action, and keeps its result', () => {
    const wrapped: string[] = [];
    let inside: string | undefined;
    const calls: [string, string | undefined][] = [];
    const runHandler = <T>(action: Action, run: () => T): T => {
      wrapped.push(action.id);
      inside = action.id;
      try {
        return run();
      } finally {
        inside = undefined;
      }
    };
    const command: Command = {
      name: 'Rota',
      outputEvents: [done],
      handler: (input) => {
        calls.push([String((input as { id: string }).id), inside]);
        return { eventDef: done, payload: 'ok' };
      },
    };
    scheduler.run(({ expectObservable }) => {
      const run$ = runAction$(anAction('7'), { commands: [command], runHandler }, scheduler);
      expectObservable(run$.pipe(map((r) => `${r.outcome}:${r.event.eventDef.name}`))).toBe(
        '(r|)',
        { r: 'success:Done' },
      );
    });
    expect(wrapped).toEqual(['7']);
    expect(calls).toEqual([['7', '7']]);
  });

  it('is not asked for an action whose command the pack does not have', () => {
    const runHandler = jasmine.createSpy('runHandler');
    scheduler.run(({ expectObservable }) => {
      const run$ = runAction$(anAction('8', 'Nope'), { commands: [], runHandler }, scheduler);
      expectObservable(run$.pipe(map((r) => r.outcome))).toBe('(r|)', { r: 'fatal' });
    });
    expect(runHandler).not.toHaveBeenCalled();
  });
});
