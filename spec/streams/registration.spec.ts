import { map, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { FlyteApi } from '../../lib/api/flyte-api.js';
import type { ApiRoot, PackRegistration, RegisteredPack } from '../../lib/model/wire-types.js';
import { HttpError, isPackDefinitionError, NetworkError } from '../../lib/model/errors.js';
import { registration$ } from '../../lib/streams/registration.js';
import { registeredPack } from './fixtures.js';

describe('registration$', () => {
  let scheduler: TestScheduler;
  const root: ApiRoot = { url: 'http://flyte/v1', links: [], packsUrl: 'http://flyte/v1/packs' };
  const body: PackRegistration = { name: 'rota-pack', commands: [], events: [{ name: 'Seen' }] };
  const backoff = { initialDelay: 10, random: () => 0.5 }; // waits 5, 10, ...

  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  /** An api whose discover and register answer with each observable in turn. */
  function api(
    discovers: Observable<ApiRoot>[],
    registers: Observable<RegisteredPack>[],
  ): Pick<FlyteApi, 'discover' | 'register'> & { bodies: PackRegistration[] } {
    let d = 0;
    let r = 0;
    const bodies: PackRegistration[] = [];
    return {
      bodies,
      discover: () => discovers[Math.min(d++, discovers.length - 1)],
      register: (_root, registration) => {
        bodies.push(registration);
        return registers[Math.min(r++, registers.length - 1)];
      },
    };
  }

  it('discovers the root, registers the body and emits both, as generation 1', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const pack = registeredPack();
      const fake = api([cold('-r|', { r: root })], [cold('--p|', { p: pack })]);
      expectObservable(registration$(fake, body, {}, scheduler)).toBe('---r', {
        r: { root, pack, generation: 1 },
      });
      scheduler.flush();
      expect(fake.bodies).toEqual([body]);
    });
  });

  it('retries failed discovery and registration with backoff, telling onRetry', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const down = cold<ApiRoot>('-#', undefined, new NetworkError('connection refused'));
      const up = cold('-r|', { r: root });
      const failing = cold<RegisteredPack>(
        '-#',
        undefined,
        new HttpError({ method: 'POST', url: 'x', status: 500 }),
      );
      const pack = registeredPack();
      const fake = api([down, up], [failing, cold('-p|', { p: pack })]);
      const onRetry = jasmine.createSpy('onRetry');
      const ids$ = registration$(fake, body, { backoff, onRetry }, scheduler).pipe(
        map((r) => r.pack.id),
      );
      // discover fails at 1, waits 5; discover ok at 7, register fails at 8, waits 10; ok at 20.
      expectObservable(ids$).toBe('20ms p', { p: 'p1' });
      expectSubscriptions(down.subscriptions).toBe('^!');
      expectSubscriptions(up.subscriptions).toBe(['6ms ^-!', '18ms ^-!']);
      expectSubscriptions(failing.subscriptions).toBe('7ms ^!');
      scheduler.flush();
      expect(onRetry.calls.allArgs().map(([, n, delay]) => [n, delay])).toEqual([
        [1, 5],
        [2, 10],
      ]);
    });
  });

  it('does not retry a 400 to the registration: errors with a PackDefinitionError', () => {
    scheduler.run(({ cold, expectSubscriptions }) => {
      const refused = cold<RegisteredPack>(
        '-#',
        undefined,
        new HttpError({ method: 'POST', url: root.packsUrl, status: 400, body: 'bad rel' }),
      );
      const fake = api([cold('r|', { r: root })], [refused]);
      let error: unknown;
      registration$(fake, body, { backoff }, scheduler).subscribe({ error: (e) => (error = e) });
      expectSubscriptions(refused.subscriptions).toBe('^!');
      scheduler.flush();
      expect(isPackDefinitionError(error)).toBe(true);
      expect((error as Error).message).toContain(
        'the server refused the registration of pack "rota-pack"',
      );
      expect((error as Error).message).toContain('bad rel');
    });
  });

  it('registers again when the current pack is reported unknown, ignoring stale reports', () => {
    scheduler.run(({ cold, hot, expectObservable }) => {
      const first = registeredPack('p1');
      const second = registeredPack('p1-again');
      const third = registeredPack('p1-third');
      const fake = api(
        [cold('r|', { r: root })],
        [cold('-p|', { p: first }), cold('-p|', { p: second }), cold('-p|', { p: third })],
      );
      // 5: current pack unknown -> registers; 6: same report during that registration -> ignored;
      // 10: a report about the first pack, already replaced -> ignored.
      const stale = { root, pack: first, generation: 1 };
      const reRegister$ = hot('5ms ab 2ms c', { a: stale, b: stale, c: stale });
      const ids$ = registration$(fake, body, { reRegister$ }, scheduler).pipe(
        map((r) => r.pack.id),
      );
      expectObservable(ids$, '^ 20ms !').toBe('-a 4ms b', { a: 'p1', b: 'p1-again' });
    });
  });

  it('numbers each registration, so that one answered with the same object is still newer', () => {
    scheduler.run(({ cold, hot, expectObservable }) => {
      const cached = registeredPack('p1');
      const fake = api([cold('r|', { r: root })], [cold('-p|', { p: cached })]);
      const reRegister$ = hot('5ms a 4ms b', {
        a: { root, pack: cached, generation: 1 },
        b: { root, pack: cached, generation: 2 },
      });
      const generations$ = registration$(fake, body, { reRegister$ }, scheduler).pipe(
        map((r) => `${r.pack.id}#${r.generation}`),
      );
      expectObservable(generations$, '^ 20ms !').toBe('-a 4ms b 4ms c', {
        a: 'p1#1',
        b: 'p1#2',
        c: 'p1#3',
      });
    });
  });
});
