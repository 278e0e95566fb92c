import { delay, firstValueFrom, map, type Observable, pipe, ReplaySubject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { Action } from '../../lib/model/wire-types.js';
import { isTimeoutError } from '../../lib/model/errors.js';
import {
  type Command,
  type FlyteEvent,
  FATAL,
  fatalEvent,
  type HandlerContext,
} from '../../lib/model/definitions.js';
import type { ActionResult } from '../../lib/model/outcomes.js';
import { dispatch } from '../../lib/streams/dispatch.js';
import type { FatalPayload } from '../../lib/model/fatal-payload.js';
import { runAction$ } from '../../lib/streams/dispatch.js';
import { anAction, command, done, ok, spyLogger } from './fixtures.js';
import { countingScheduler } from '../support/counting-scheduler.js';

const fatalOf = (result: ActionResult) => result.event.payload as FatalPayload;

describe('runAction$', () => {
  let scheduler: TestScheduler;
  const a = anAction('7');

  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  /** Runs the action to its result in virtual time. */
  function resultOf(commands: Command[], action: Action = a, cancel$?: Observable<void>) {
    let result: ActionResult | undefined;
    scheduler.run(() => {
      runAction$(action, { commands, handlerTimeout: 50, cancel$ }, scheduler).subscribe(
        (r) => (result = r),
      );
    });
    return result as ActionResult;
  }

  it('emits the event of a plain function handler as a success', () => {
    scheduler.run(({ expectObservable }) => {
      const handler = (input: unknown) => ok(JSON.stringify(input));
      expectObservable(runAction$(a, { commands: [command({ handler })] }, scheduler)).toBe(
        '(r|)',
        {
          r: { action: a, event: ok('{"id":"7"}'), outcome: 'success', handlerMs: 0, attempts: 1 },
        },
      );
    });
  });

  it('calls handle() of a handler object as a method, with the context', () => {
    class RotaHandler {
      readonly prefix = 'on call: ';
      context?: HandlerContext;
      handle(input: unknown, context: HandlerContext): FlyteEvent<string> {
        this.context = context;
        return ok(this.prefix + (input as { id: string }).id);
      }
    }
    const handler = new RotaHandler();
    expect(resultOf([command({ handler })]).event).toEqual(ok('on call: 7'));
    expect(handler.context?.action).toBe(a);
    expect(handler.context?.signal.aborted).toBe(false);
  });

  it('uses the first event of an observable handler and unsubscribes from the rest', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const events = cold('--e-f|', { e: ok('first'), f: ok('second') });
      const run$ = runAction$(a, { commands: [command({ handler: () => events })] }, scheduler);
      expectObservable(run$.pipe(map((r) => r.event.payload))).toBe('--(e|)', { e: 'first' });
      expectSubscriptions(events.subscriptions).toBe('^-!');
    });
  });

  it('runs a command pipeline over the action input; its first event is the result', () => {
    scheduler.run(({ expectObservable }) => {
      const pipeline = pipe(
        delay<unknown>(3, scheduler),
        map((input) => ok(`piped ${(input as { id: string }).id}`)),
      );
      const run$ = runAction$(a, { commands: [command({ pipeline })] }, scheduler);
      expectObservable(run$.pipe(map((r) => r.event.payload))).toBe('---(e|)', { e: 'piped 7' });
    });
  });

  it('passes on a FATAL event the handler returns itself, as a fatal outcome', () => {
    const result = resultOf([command({ handler: () => fatalEvent({ why: 'no rota' }) })]);
    expect(result.outcome).toBe('fatal');
    expect(result.event.payload).toEqual({ why: 'no rota' });
  });

  describe('turns every handler failure into a FATAL result that says which and why', () => {
    it('a throw: reason threw', () => {
      const handler = () => {
        throw new TypeError('input.rota is undefined');
      };
      const result = resultOf([command({ handler })]);
      expect(result.outcome).toBe('fatal');
      expect(result.event.eventDef.name).toBe(FATAL);
      expect(fatalOf(result)).toEqual({
        reason: 'threw',
        message: 'handler of command "Rota" threw TypeError: input.rota is undefined',
        command: 'Rota',
        actionId: '7',
        error: { name: 'TypeError', message: 'input.rota is undefined' },
      });
    });

    it('an erroring observable: reason errored, at the frame of the error', () => {
      scheduler.run(({ cold, expectObservable }) => {
        const failing = cold<FlyteEvent>('--#', undefined, new Error('upstream down'));
        const run$ = runAction$(a, { commands: [command({ handler: () => failing })] }, scheduler);
        expectObservable(run$.pipe(map((r) => fatalOf(r).message))).toBe('--(m|)', {
          m: 'handler of command "Rota" returned an observable that errored with Error: upstream down',
        });
      });
    });

    it('an erroring pipeline: reason errored', () => {
      const pipeline = map<unknown, FlyteEvent>(() => {
        throw new RangeError('bad input');
      });
      const payload = fatalOf(resultOf([command({ pipeline })]));
      expect([payload.reason, payload.error]).toEqual([
        'errored',
        { name: 'RangeError', message: 'bad input' },
      ]);
    });

    it('an observable that completes without an event: reason empty', () => {
      scheduler.run(({ cold, expectObservable }) => {
        const empty = cold<FlyteEvent>('---|');
        const run$ = runAction$(a, { commands: [command({ handler: () => empty })] }, scheduler);
        expectObservable(run$.pipe(map((r) => fatalOf(r).reason))).toBe('---(r|)', { r: 'empty' });
      });
    });

    it('a value that is not an event: reason invalid-event', () => {
      const handler = (() => 'done') as unknown as Command['handler'];
      const payload = fatalOf(resultOf([command({ handler })]));
      expect(payload.reason).toBe('invalid-event');
      expect(payload.message).toContain('produced a string, not an event');
    });

    it('an event whose payload cannot travel as JSON: reason invalid-event, saying why', () => {
      const handler = () => ({ eventDef: done, payload: 10n });
      const payload = fatalOf(resultOf([command({ handler })]));
      expect(payload.reason).toBe('invalid-event');
      expect(payload.message).toBe(
        'handler of command "Rota" produced the event "Done", whose payload cannot be sent as JSON: Do not know how to serialize a BigInt',
      );
      expect(() => JSON.stringify(payload)).not.toThrow();
    });

    it('an action the server described badly: reason invalid-action, no handler run', () => {
      const handler = jasmine.createSpy('handler').and.returnValue(ok());
      const bad = { ...anAction('9', ''), problem: '"command" must be a non-empty string' };
      const payload = fatalOf(resultOf([command({ handler })], bad));
      expect(payload.reason).toBe('invalid-action');
      expect(payload.actionId).toBe('9');
      expect(payload.message).toContain('"command" must be a non-empty string');
      expect(handler).not.toHaveBeenCalled();
    });

    it('an action for a command the pack does not have: reason unknown-command', () => {
      const payload = fatalOf(resultOf([command({ handler: () => ok() })], anAction('8', 'Page')));
      expect(payload).toEqual({
        reason: 'unknown-command',
        message: 'the pack has no command "Page" (it has: Rota)',
        command: 'Page',
        actionId: '8',
      });
    });
  });

  describe('promise handlers', () => {
    it('resolve to their event', async () => {
      const handler = async () => ok('async');
      const result = await firstValueFrom(runAction$(a, { commands: [command({ handler })] }));
      expect([result.outcome, result.event]).toEqual(['success', ok('async')]);
    });

    it('reject: reason rejected', async () => {
      const handler = () => Promise.reject(new Error('timeout talking to the rota API'));
      const result = await firstValueFrom(runAction$(a, { commands: [command({ handler })] }));
      expect(fatalOf(result).reason).toBe('rejected');
      expect(fatalOf(result).message).toContain(
        'rejected with Error: timeout talking to the rota API',
      );
    });

    it('reject with a non-error: its text is kept', async () => {
      const handler = () => Promise.reject('nope');
      const result = await firstValueFrom(runAction$(a, { commands: [command({ handler })] }));
      expect(fatalOf(result).error).toEqual({ name: 'string', message: 'nope' });
    });

    it('resolve to something that is not an event: reason invalid-event', async () => {
      const handler = (async () => ({ name: 'Done' })) as unknown as Command['handler'];
      const result = await firstValueFrom(runAction$(a, { commands: [command({ handler })] }));
      expect(fatalOf(result).reason).toBe('invalid-event');
    });
  });

  describe('timeout', () => {
    it('cancels a handler that runs past handlerTimeout: unsubscribes it, aborts its signal, FATAL timeout', () => {
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const slow = cold('10ms e|', { e: ok() });
        let signal: AbortSignal | undefined;
        let abortedAt: number | undefined;
        const handler = (_input: unknown, context: HandlerContext) => {
          signal = context.signal;
          signal.addEventListener('abort', () => (abortedAt = scheduler.now()));
          return slow;
        };
        const run$ = runAction$(
          a,
          { commands: [command({ handler })], handlerTimeout: 4 },
          scheduler,
        );
        expectObservable(run$.pipe(map((r) => fatalOf(r)))).toBe('4ms (f|)', {
          f: {
            reason: 'timeout',
            message: 'handler of command "Rota" did not finish within 4 ms and was cancelled',
            command: 'Rota',
            actionId: '7',
            timeout: 4,
          },
        });
        expectSubscriptions(slow.subscriptions).toBe('^ 3ms !');
        scheduler.flush();
        expect(abortedAt).toBe(4);
        expect(isTimeoutError(signal?.reason)).toBe(true);
      });
    });

    // The signal is made when first read: a first read after the timeout sees the abort too.
    for (const readsSignal of ['at once', 'only after the timeout'] as const) {
      it(`times out a promise handler that never settles and aborts its signal (read ${readsSignal})`, () => {
        let context: HandlerContext | undefined;
        let signal: AbortSignal | undefined;
        const handler = (_input: unknown, given: HandlerContext) => {
          context = given;
          if (readsSignal === 'at once') signal = given.signal;
          return new Promise<FlyteEvent>(() => undefined);
        };
        scheduler.run(({ expectObservable }) => {
          const run$ = runAction$(
            a,
            { commands: [command({ handler })], handlerTimeout: 9 },
            scheduler,
          );
          expectObservable(run$.pipe(map((r) => fatalOf(r).reason))).toBe('9ms (r|)', {
            r: 'timeout',
          });
        });
        signal ??= context?.signal;
        expect(signal?.aborted).toBe(true);
        expect(isTimeoutError(signal?.reason)).toBe(true);
        expect(context?.signal).toBe(signal); // one signal per run
      });
    }

    it("uses the command's own timeout over the pack's", () => {
      scheduler.run(({ cold, expectObservable }) => {
        const slow = cold('10ms e|', { e: ok() });
        const commands = [command({ handler: () => slow, timeout: 7 })];
        const run$ = runAction$(a, { commands, handlerTimeout: 4 }, scheduler);
        expectObservable(run$.pipe(map((r) => fatalOf(r).timeout))).toBe('7ms (t|)', { t: 7 });
      });
    });

    it('does not abort the signal of a handler that finished in time', () => {
      let signal: AbortSignal | undefined;
      const handler = (_input: unknown, context: HandlerContext) => {
        signal = context.signal;
        return ok();
      };
      expect(resultOf([command({ handler })]).outcome).toBe('success');
      expect(signal?.aborted).toBe(false);
    });

    it('a handlerTimeout of 0 means no timeout', () => {
      scheduler.run(({ cold, expectObservable }) => {
        const slow = cold('1000ms e|', { e: ok() });
        const run$ = runAction$(
          a,
          { commands: [command({ handler: () => slow })], handlerTimeout: 0 },
          scheduler,
        );
        expectObservable(run$.pipe(map((r) => r.outcome))).toBe('1000ms (s|)', { s: 'success' });
      });
    });
  });

  describe('cancel$', () => {
    it('cancels a running handler: unsubscribed, signal aborted, FATAL cancelled', () => {
      scheduler.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
        const slow = cold('10ms e|', { e: ok() });
        let signal: AbortSignal | undefined;
        const handler = (_input: unknown, context: HandlerContext) => {
          signal = context.signal;
          return slow;
        };
        const cancel$ = hot<void>('---c');
        const run$ = runAction$(a, { commands: [command({ handler })], cancel$ }, scheduler);
        expectObservable(run$.pipe(map((r) => fatalOf(r).reason))).toBe('---(r|)', {
          r: 'cancelled',
        });
        expectSubscriptions(slow.subscriptions).toBe('^--!');
        scheduler.flush();
        expect(signal?.aborted).toBe(true);
        expect((signal?.reason as Error).message).toContain('the pack stopped before the handler');
      });
    });

    // Only a value cancels: a cancel signal that merely ends must not end the run without a result.
    it('cancels nothing when the cancel signal ends without a value: the result comes', () => {
      scheduler.run(({ cold, expectObservable }) => {
        const slow = cold('5ms e|', { e: ok() });
        const run$ = runAction$(
          a,
          { commands: [command({ handler: () => slow })], cancel$: cold<void>('--|') },
          scheduler,
        );
        expectObservable(run$.pipe(map((r) => r.outcome))).toBe('5ms (s|)', { s: 'success' });
      });
    });

    it('an action arriving after the cancel never starts its handler', () => {
      const cancel$ = new ReplaySubject<void>(1);
      cancel$.next();
      const handler = jasmine.createSpy('handler').and.returnValue(ok());
      const result = resultOf([command({ handler })], a, cancel$);
      expect(fatalOf(result).reason).toBe('cancelled');
      expect(handler).not.toHaveBeenCalled();
    });
  });

  it("gives the handler a logger whose entries carry the action's id and command", () => {
    const logger = spyLogger();
    scheduler.run(() => {
      const handler = (_input: unknown, { logger: log }: HandlerContext) => {
        log.info('rota read', { team: 'ops' });
        return ok();
      };
      runAction$(a, { commands: [command({ handler })], logger }, scheduler).subscribe();
    });
    expect(logger.info).toHaveBeenCalledWith('rota read', {
      actionId: '7',
      command: 'Rota',
      team: 'ops',
    });
  });

  it('does not warn for a declared event or a FATAL one', () => {
    const logger = spyLogger();
    scheduler.run(() => {
      runAction$(
        a,
        { commands: [command({ handler: () => ok() })], logger },
        scheduler,
      ).subscribe();
      runAction$(
        a,
        { commands: [command({ handler: () => fatalEvent('no') })], logger },
        scheduler,
      ).subscribe();
    });
    expect(logger.warn).toHaveBeenCalledTimes(1); // the FATAL one, as a failed action
    expect(logger.warn.calls.mostRecent().args[0]).toBe('action 7 of command "Rota" failed');
  });

  it('logs a failed action as a warning with its payload', () => {
    const logger = spyLogger();
    scheduler.run(() => {
      const handler = () => {
        throw new Error('boom');
      };
      runAction$(a, { commands: [command({ handler })], logger }, scheduler).subscribe();
    });
    expect(logger.warn).toHaveBeenCalledWith(
      'action 7 of command "Rota" failed',
      jasmine.objectContaining({ actionId: '7', command: 'Rota' }),
    );
  });
});

describe('runAction$ per action (it runs for every action: issue 22)', () => {
  it('arms the timeout only for a handler that does not answer at once', () => {
    const testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    const { scheduler, timers } = countingScheduler(testScheduler);
    const ends: string[] = [];
    testScheduler.run(({ cold }) => {
      const later = cold('--e|', { e: ok('later') });
      const commands = [
        command({ name: 'Now', handler: () => ok('now') }),
        command({ name: 'Later', handler: () => later }),
      ];
      const cancel$ = new ReplaySubject<void>(1);
      const options = { commands, handlerTimeout: 50, cancel$ };
      const run = (name: string) =>
        runAction$(anAction(name, name), options, scheduler).subscribe((r) =>
          ends.push(`${String(r.event.payload)} after ${timers()} timers`),
        );
      run('Now');
      run('Now');
      run('Later');
    });
    expect(ends).toEqual(['now after 0 timers', 'now after 0 timers', 'later after 1 timers']);
    expect(timers()).toBe(1);
  });

  // A getter written in an object literal is a new function for each object, which gives each
  // context a shape of its own (slow to build and to read): every context's getters must be
  // the same functions. Own and enumerable still, so a handler may spread its context.
  it('gives every context the same own getters for its signal and logger, kept by a spread', () => {
    const contexts: HandlerContext[] = [];
    const commands = [
      command({
        handler: (_input, context) => {
          contexts.push(context);
          return ok('done');
        },
      }),
    ];
    for (const id of ['1', '2']) runAction$(anAction(id), { commands }).subscribe();
    const [first, second] = contexts.map((c) => ({
      signal: Object.getOwnPropertyDescriptor(c, 'signal'),
      logger: Object.getOwnPropertyDescriptor(c, 'logger'),
    }));
    expect(first?.signal?.get).toEqual(jasmine.any(Function));
    expect(first?.logger?.get).toEqual(jasmine.any(Function));
    expect([first?.signal?.enumerable, first?.logger?.enumerable]).toEqual([true, true]);
    expect(second?.signal?.get).toBe(first?.signal?.get);
    expect(second?.logger?.get).toBe(first?.logger?.get);
    const spread = { ...contexts[1]! };
    expect(spread.signal).toBe(contexts[1]!.signal);
    expect(spread.logger).toBe(contexts[1]!.logger);
    expect(Object.keys(spread).sort()).toEqual(['action', 'attempt', 'logger', 'signal']);
    expect(spread.action.id).toBe('2');
  });
});

describe('dispatch', () => {
  let scheduler: TestScheduler;

  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('runs at most `concurrency` handlers at once', () => {
    scheduler.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const work = cold('---e|', { e: ok() });
      const actions = hot('abc|', { a: anAction('a'), b: anAction('b'), c: anAction('c') });
      const results$ = actions.pipe(
        dispatch({ commands: [command({ handler: () => work })], concurrency: 2 }, scheduler),
        map((r) => r.action.id),
      );
      expectObservable(results$).toBe('---ab-(c|)');
      expectSubscriptions(work.subscriptions).toBe(['^--!', '-^--!', '---^--!']);
    });
  });

  it('unsubscribed, cancels the running handlers (their signals aborted) and starts no waiting one', () => {
    const signals: AbortSignal[] = [];
    scheduler.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const work = cold('-----e|', { e: ok() });
      const handler = (_input: unknown, context: HandlerContext) => {
        signals.push(context.signal);
        return work;
      };
      const actions = hot('ab(c|)', { a: anAction('a'), b: anAction('b'), c: anAction('c') });
      const results$ = actions.pipe(
        dispatch({ commands: [command({ handler })], concurrency: 2 }, scheduler),
        map((r) => r.action.id),
      );
      expectObservable(results$, '---!').toBe('----');
      expectSubscriptions(work.subscriptions).toBe(['^--!', '-^-!']);
    });
    expect(signals.map((s) => s.aborted)).toEqual([true, true]);
  });

  it('one action failing does not end the stream: the others still get their results', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const handler = (input: unknown) => {
        if ((input as { id: string }).id === 'b') throw new Error('only b fails');
        return ok();
      };
      const actions = hot('a-b-c-|', { a: anAction('a'), b: anAction('b'), c: anAction('c') });
      const results$ = actions.pipe(
        dispatch({ commands: [command({ handler })] }, scheduler),
        map((r) => `${r.action.id}:${r.outcome}`),
      );
      expectObservable(results$).toBe('a-b-c-|', { a: 'a:success', b: 'b:fatal', c: 'c:success' });
    });
  });
});
