import { defer, NEVER, of, throwError, timer, map } from 'rxjs';
import { testPackWith } from '../../lib/testing/test-pack.js';
import { type ServiceState, statusPack } from '../../samples/pipeline-pack/pack.js';

const testPack = testPackWith((actual, expected) => expect(actual).toEqual(expected));
const checked = (service: string, state: ServiceState) => ({
  command: 'CheckStatus',
  event: 'StatusChecked',
  payload: { service, state },
});

describe('samples/pipeline-pack (a command written as an RxJS pipeline)', () => {
  it('answers after the probe, in virtual time', () => {
    const probe = (service: string) =>
      timer(250).pipe(map((): ServiceState => (service === 'db' ? 'down' : 'up')));
    testPack(statusPack({ probe }), { stopAt: 3000, polling: { interval: 1000 } }, (t) => {
      t.enqueue('a 999ms b', {
        a: { command: 'CheckStatus', input: { service: 'db' } },
        b: { command: 'CheckStatus', input: 'web' },
      });
      // b, enqueued at 1000, is taken by the burst of polls after a's result (100, 120, … ms
      // after 250): at 1243, answered 250 ms later.
      t.expectResults('250ms a 1242ms b', { a: checked('db', 'down'), b: checked('web', 'up') });
    });
  });

  it('retries a failing probe after the retry delay, then reports it', () => {
    let attempts = 0;
    const probe = () =>
      defer(() =>
        ++attempts < 3 ? throwError(() => new Error('refused')) : of<ServiceState>('degraded'),
      );
    testPack(statusPack({ probe, attempts: 3, retryDelay: 400 }), { stopAt: 2000 }, (t) => {
      t.enqueue('a', { a: { command: 'CheckStatus', input: 'queue' } });
      t.expectResults('800ms a', { a: checked('queue', 'degraded') });
    });
    expect(attempts).toBe(3);
  });

  it('gives up with StatusCheckFailed when every attempt times out', () => {
    const probe = () => NEVER;
    testPack(
      statusPack({ probe, attempts: 2, retryDelay: 100, probeTimeout: 1000 }),
      { stopAt: 5000 },
      (t) => {
        t.enqueue('a', { a: { command: 'CheckStatus', input: { service: 'cache' } } });
        t.expectResults('2100ms a', {
          a: {
            command: 'CheckStatus',
            event: 'StatusCheckFailed',
            payload: { service: 'cache', reason: 'timed out' },
          },
        });
      },
    );
  });

  it('answers a bad input with FATAL and never probes', () => {
    const probe = jasmine.createSpy('probe').and.returnValue(of('up'));
    testPack(statusPack({ probe }), { stopAt: 100 }, (t) => {
      t.enqueue('a', { a: { command: 'CheckStatus', input: { port: 80 } } });
      t.expectResults('a', {
        a: {
          command: 'CheckStatus',
          event: 'FATAL',
          payload: { reason: 'input must be a service name or { "service": "name" }' },
        },
      });
    });
    expect(probe).not.toHaveBeenCalled();
  });
});
