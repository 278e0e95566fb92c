// Handler retries: a command's (or the pack's) `retry` runs a failing handler again, after a
// backoff on the injected scheduler, before its action completes FATAL.
import { firstValueFrom, map, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { isTimeoutError } from '../../lib/model/errors.js';
import {
  type Command,
  fatalEvent,
  type FlyteEvent,
  type HandlerContext,
} from '../../lib/model/definitions.js';
import type { FatalPayload } from '../../lib/model/fatal-payload.js';
import type { HandlerRetry } from '../../lib/model/handler-retry.js';
import type { ActionResult } from '../../lib/model/outcomes.js';
import { type RunActionOptions, runAction$ } from '../../lib/streams/dispatch.js';
import type { HandlerRetryNotice } from '../../lib/streams/handler-retry.js';
import { anAction, command, ok } from './fixtures.js';

/** Three runs in all, waiting 10 ms then 20 ms (no jitter unless `random` is given). */
const threeTries: HandlerRetry = { attempts: 3, backoff: { initialDelay: 10, factor: 2 } };

/** `outcome/reason/attempts/handlerMs` of a result, to compare in marbles. */
const summary = (r: ActionResult) =>
  `${r.outcome}/${(r.event.payload as FatalPayload).reason ?? r.event.payload}/${r.attempts}/${r.handlerMs}`;

describe('runAction$ with retry', () => {
  let scheduler: TestScheduler;
  const a = anAction('7');

  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  /** A handler that returns the observables of `runs` in turn, one per call. */
  function handlerOf(runs: (() => Observable<FlyteEvent> | FlyteEvent)[]) {
    const contexts: HandlerContext[] = [];
    const handler = (_input: unknown, context: HandlerContext) => {
      contexts.push(context);
      const run = runs[contexts.length - 1];
      if (!run) throw new Error('one run too many');
      return run();
    };
    return { handler, contexts };
  }

  const boom = () => {
    throw new Error('rota API down');
  };

  it('runs a handler that throws, then errors, again after the backoff, until it succeeds', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const erroring = cold<FlyteEvent>('--#', undefined, new Error('502'));
      const succeeding = cold('--(e|)', { e: ok('Ann') });
      const { handler, contexts } = handlerOf([boom, () => erroring, () => succeeding]);
      const run$ = runAction$(
        a,
        { commands: [command({ handler, retry: threeTries })] },
        scheduler,
      );
      // attempt 1 throws at 0, waits 10; attempt 2 errors at 12, waits 20; attempt 3 at 32.
      expectObservable(run$.pipe(map(summary))).toBe('34ms (r|)', { r: 'success/Ann/3/34' });
      expectSubscriptions(erroring.subscriptions).toBe('10ms ^-!');
      expectSubscriptions(succeeding.subscriptions).toBe('32ms ^-!');
      scheduler.flush();
      expect(contexts.map((c) => c.attempt)).toEqual([1, 2, 3]);
    });
  });

  it('completes FATAL with the last failure once the attempts are spent, saying how many', () => {
    scheduler.run(({ expectObservable }) => {
      const { handler } = handlerOf([boom, boom, boom]);
      const run$ = runAction$(
        a,
        { commands: [command({ handler, retry: threeTries })] },
        scheduler,
      );
      expectObservable(run$.pipe(map(summary))).toBe('30ms (r|)', { r: 'fatal/threw/3/30' });
    });
    let result: ActionResult | undefined;
    scheduler.run(() => {
      const { handler } = handlerOf([boom, boom, boom]);
      const commands = [command({ handler, retry: threeTries })];
      runAction$(a, { commands }, scheduler).subscribe((r) => (result = r));
    });
    const payload = result?.event.payload as FatalPayload;
    expect([payload.attempts, payload.message]).toEqual([
      3,
      'handler of command "Rota" threw Error: rota API down (attempt 3 of 3)',
    ]);
  });

  it('does not retry an error that retryIf refuses', () => {
    scheduler.run(({ expectObservable }) => {
      const retryIf = jasmine.createSpy('retryIf').and.returnValue(false);
      const { handler } = handlerOf([boom, boom]);
      const retry = { ...threeTries, retryIf };
      const run$ = runAction$(a, { commands: [command({ handler, retry })] }, scheduler);
      expectObservable(run$.pipe(map(summary))).toBe('(r|)', { r: 'fatal/threw/1/0' });
      scheduler.flush();
      expect(retryIf).toHaveBeenCalledOnceWith(
        jasmine.objectContaining({ message: 'rota API down' }),
        1,
      );
    });
  });

  it('retries neither a FATAL the handler returned, nor an undeclared event, nor an empty observable', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const runs = [
        () => fatalEvent('no rota'),
        () => ({ eventDef: { name: 'Typo' }, payload: 1 }),
        () => cold<FlyteEvent>('|'),
      ];
      for (const run of runs) {
        const { handler } = handlerOf([run, () => ok()]);
        const run$ = runAction$(
          a,
          { commands: [command({ handler, retry: threeTries })] },
          scheduler,
        );
        expectObservable(run$.pipe(map((r) => `${r.outcome}/${r.attempts}`))).toBe('(r|)', {
          r: 'fatal/1',
        });
      }
    });
  });

  it('does not retry a timeout unless `timeouts` says so', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const never = cold<FlyteEvent>('-');
      const { handler } = handlerOf([() => never, () => never, () => never]);
      const options: RunActionOptions = {
        commands: [command({ handler, retry: threeTries })],
        handlerTimeout: 50,
      };
      expectObservable(runAction$(a, options, scheduler).pipe(map(summary))).toBe('50ms (r|)', {
        r: 'fatal/timeout/1/50',
      });
    });
  });

  it('gives each attempt its own timeout when `timeouts` is set, aborting each one', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const never = cold<FlyteEvent>('-');
      const { handler, contexts } = handlerOf([() => never, () => never, () => never]);
      const retry = { ...threeTries, timeouts: true };
      const options = { commands: [command({ handler, retry })], handlerTimeout: 50 };
      // 0-50 attempt 1, wait 10, 60-110 attempt 2, wait 20, 130-180 attempt 3.
      expectObservable(runAction$(a, options, scheduler).pipe(map(summary))).toBe('180ms (r|)', {
        r: 'fatal/timeout/3/180',
      });
      expectSubscriptions(never.subscriptions).toBe([
        '^ 49ms !',
        '60ms ^ 49ms !',
        '130ms ^ 49ms !',
      ]);
      scheduler.flush();
      expect(contexts.map((c) => isTimeoutError(c.signal.reason))).toEqual([true, true, true]);
    });
  });

  it('completes FATAL cancelled when the pack cancels during a backoff wait, with no more attempts', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const cancel$ = hot<void>('5ms c', { c: undefined });
      const { handler, contexts } = handlerOf([boom, () => ok()]);
      const options = { commands: [command({ handler, retry: threeTries })], cancel$ };
      expectObservable(runAction$(a, options, scheduler).pipe(map(summary))).toBe('5ms (r|)', {
        r: 'fatal/cancelled/1/5',
      });
      scheduler.flush();
      expect(contexts.length).toBe(1);
    });
  });

  it("uses the pack's retry for a command without its own, the command's own otherwise", () => {
    scheduler.run(({ expectObservable }) => {
      const packRetry: HandlerRetry = { attempts: 2, backoff: { initialDelay: 100 } };
      const plain = handlerOf([boom, () => ok('pack')]);
      const own = handlerOf([boom, boom, () => ok('own')]);
      const commands: Command[] = [
        command({ handler: plain.handler }),
        command({ name: 'Own', handler: own.handler, retry: threeTries }),
      ];
      const options = { commands, retry: packRetry };
      expectObservable(runAction$(a, options, scheduler).pipe(map(summary))).toBe('100ms (r|)', {
        r: 'success/pack/2/100',
      });
      const b = anAction('8', 'Own');
      expectObservable(runAction$(b, options, scheduler).pipe(map(summary))).toBe('30ms (r|)', {
        r: 'success/own/3/30',
      });
    });
  });

  it('waits what a backoff function says, given the retry number and the error', () => {
    scheduler.run(({ expectObservable }) => {
      const backoff = jasmine.createSpy('backoff').and.callFake((retry: number) => retry * 7);
      const { handler } = handlerOf([boom, boom, () => ok()]);
      const retry = { attempts: 3, backoff };
      const run$ = runAction$(a, { commands: [command({ handler, retry })] }, scheduler);
      expectObservable(run$.pipe(map(summary))).toBe('21ms (r|)', { r: 'success/ok/3/21' });
      scheduler.flush();
      expect(backoff.calls.allArgs().map(([n, e]) => [n, (e as Error).message])).toEqual([
        [1, 'rota API down'],
        [2, 'rota API down'],
      ]);
    });
  });

  it('tells onRetry of each retry when the attempt failed: which, why and the wait', () => {
    const notices: [number, HandlerRetryNotice][] = [];
    scheduler.run(({ cold }) => {
      const { handler } = handlerOf([boom, () => cold('--#', undefined, 'x'), () => ok()]);
      const onRetry = (_action: unknown, notice: HandlerRetryNotice) =>
        notices.push([scheduler.now(), notice]);
      const options = { commands: [command({ handler, retry: threeTries })], onRetry };
      runAction$(a, options, scheduler).subscribe();
    });
    expect(notices).toEqual([
      [0, { attempt: 1, of: 3, reason: 'threw', error: new Error('rota API down'), delayMs: 10 }],
      [12, { attempt: 2, of: 3, reason: 'errored', error: 'x', delayMs: 20 }],
    ]);
  });

  it('retries a rejected promise (in real time: a promise does not settle in virtual time)', async () => {
    let calls = 0;
    const handler = () =>
      ++calls < 3 ? Promise.reject(new Error(`503 #${calls}`)) : Promise.resolve(ok('late'));
    const retry: HandlerRetry = { attempts: 3, backoff: () => 0 };
    const result = await firstValueFrom(runAction$(a, { commands: [command({ handler, retry })] }));
    expect([result.outcome, result.event.payload, result.attempts]).toEqual(['success', 'late', 3]);
  });

  it('counts one attempt without retry, and none when no handler ran', () => {
    scheduler.run(({ expectObservable }) => {
      const commands = [command({ handler: () => ok() })];
      expectObservable(runAction$(a, { commands }, scheduler).pipe(map((r) => r.attempts))).toBe(
        '(r|)',
        { r: 1 },
      );
      const unknown = anAction('9', 'Nope');
      expectObservable(
        runAction$(unknown, { commands }, scheduler).pipe(map((r) => r.attempts)),
      ).toBe('(r|)', { r: 0 });
    });
  });

  it('never runs the handler again for input its schema refuses', () => {
    const schema = {
      '~standard': {
        version: 1 as const,
        vendor: 'test',
        validate: () => ({ issues: [{ message: 'bad' }] }),
      },
    };
    scheduler.run(({ expectObservable }) => {
      const handler = jasmine.createSpy('handler');
      const commands = [command({ handler, retry: threeTries, input: schema })];
      expectObservable(runAction$(a, { commands }, scheduler).pipe(map(summary))).toBe('(r|)', {
        r: 'fatal/invalid-input/0/0',
      });
      scheduler.flush();
      expect(handler).not.toHaveBeenCalled();
    });
  });
});
