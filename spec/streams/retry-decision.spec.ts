import { TimeoutError } from '../../lib/model/errors.js';
import type { HandlerRetry } from '../../lib/model/handler-retry.js';
import {
  type HandlerFailure,
  type RetryDecision,
  retryDecision,
} from '../../lib/streams/handler-retry.js';

const threw: HandlerFailure = { reason: 'threw', error: new Error('down') };
const timedOut: HandlerFailure = {
  reason: 'timeout',
  error: new TimeoutError({ timeoutMs: 50, message: 'too slow' }),
};
const notRange = (e: unknown) => !(e instanceof RangeError);

describe('retryDecision', () => {
  const cases: [string, HandlerRetry | undefined, HandlerFailure, number, RetryDecision][] = [
    ['no policy: the first failure is final', undefined, threw, 1, { retry: false }],
    ['attempts: 1 means no retry', { attempts: 1 }, threw, 1, { retry: false }],
    [
      'the default backoff: 1 s after the first run',
      { attempts: 3 },
      threw,
      1,
      { retry: true, delayMs: 1000 },
    ],
    ['then twice that', { attempts: 3 }, threw, 2, { retry: true, delayMs: 2000 }],
    ['attempts spent', { attempts: 3 }, threw, 3, { retry: false }],
    [
      'capped at maxDelay',
      { attempts: 9, backoff: { initialDelay: 100, factor: 10, maxDelay: 5000 } },
      threw,
      3,
      { retry: true, delayMs: 5000 },
    ],
    [
      'jitter only with random',
      { attempts: 3, backoff: { random: () => 0.25 } },
      threw,
      2,
      { retry: true, delayMs: 500 },
    ],
    [
      'a backoff function',
      { attempts: 3, backoff: (n) => n * 7 },
      threw,
      2,
      { retry: true, delayMs: 14 },
    ],
    [
      'a negative wait from a function is none',
      { attempts: 3, backoff: () => -5 },
      threw,
      1,
      { retry: true, delayMs: 0 },
    ],
    ['a timeout, by default', { attempts: 3 }, timedOut, 1, { retry: false }],
    [
      'a timeout, with timeouts',
      { attempts: 3, timeouts: true },
      timedOut,
      1,
      { retry: true, delayMs: 1000 },
    ],
    [
      'retryIf refuses',
      { attempts: 3, retryIf: notRange },
      { reason: 'rejected', error: new RangeError('x') },
      1,
      { retry: false },
    ],
    [
      'retryIf accepts',
      { attempts: 3, retryIf: notRange },
      { reason: 'errored', error: new Error('x') },
      1,
      { retry: true, delayMs: 1000 },
    ],
  ];
  for (const [name, policy, failure, attempt, expected] of cases) {
    it(name, () => expect(retryDecision(policy, failure, attempt)).toEqual(expected));
  }

  it('asks retryIf with the error and the number of the run that failed, a timeout included', () => {
    const retryIf = jasmine.createSpy('retryIf').and.returnValue(true);
    retryDecision({ attempts: 3, timeouts: true, retryIf }, timedOut, 2);
    expect(retryIf).toHaveBeenCalledOnceWith(timedOut.error, 2);
  });
});
