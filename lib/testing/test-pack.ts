import { filter, map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { silentLogger } from '../model/logger.js';
import type { PackDef } from '../model/definitions.js';
import { Pack } from '../pack/pack.js';
import { assertDeepEqual } from './deep-equal.js';
import { InMemoryFlyteApi } from './in-memory-flyte-api.js';
import type {
  ActionSpec,
  PackTest,
  PackTestContext,
  PackTestOptions,
  PackTestResult,
  TakeOutcome,
} from './pack-test-types.js';
import { serverEvents$, serverResults$ } from './server-records.js';
import { VirtualTimeGuard } from './virtual-time-guard.js';
import { comparableTo } from './expected-result.js';

const TAKE_VALUES: Readonly<Record<string, TakeOutcome>> = { a: 'action', e: 'empty', x: 'error' };

/**
 * Makes a {@link PackTest} that asserts with `assert` — pass your framework's deep equality
 * to get its diffs and matchers (`jasmine.objectContaining`, `expect.any`, ...).
 *
 * @param assert - throws when `actual` and `expected` differ. @default {@link assertDeepEqual}
 * @returns the test runner.
 * @example
 * const testPack = testPackWith((actual, expected) => expect(actual).toEqual(expected));
 */
export function testPackWith(
  assert: (actual: unknown, expected: unknown) => void = assertDeepEqual,
): PackTest {
  return ((def: PackDef, ...rest: unknown[]) => {
    const [options, body] = (rest.length === 1 ? [{}, rest[0]] : rest) as [
      PackTestOptions,
      (t: PackTestContext) => void,
    ];
    return runPackTest(def, options, body, assert);
  }) as PackTest;
}

/**
 * Runs a whole pack — registration, polling, handlers, delivery, stop — in virtual time over
 * an in-memory flyte server, and checks with marbles what the server received and when.
 * No sleeps, no sockets: polling periods, backoffs, timeouts and grace periods take no real
 * time. Handlers and pipelines must return events or Observables and never wait on a Promise
 * (it cannot settle in virtual time: the test then fails saying so, before any expectation;
 * test them in real time against `InMemoryFlyteApi` or the fake server). Asserts with a built-in deep equality; see
 * {@link testPackWith} to use your framework's.
 *
 * @param def - the pack definition under test.
 * @param options - the pack's options, `stopAt` (default 60 s), `stop`, `latency`.
 * @param body - schedules actions and states expectations; see {@link PackTestContext}.
 * @returns the pack, the API, the model and the pack's errors, for assertions afterwards.
 * @throws the first failed expectation.
 * @example
 * const options = { pollInterval: 1000, burstPolling: false, stopAt: 2500 } as const;
 * testPack(rotaPack({ random: () => 0 }), options, (t) => {
 *   t.enqueue('500ms a', { a: 'Rota' });
 *   t.expectTakes('e 999ms (ae) 996ms e'); // polls at 0, takes at 1 s (and at once again), polls at 2 s
 *   t.expectResults('1s r', { r: { command: 'Rota', event: 'RotaRetrieved', payload: 'Isaac' } });
 * });
 */
export const testPack: PackTest = testPackWith();

/**
 * The former name of {@link testPackWith}.
 *
 * @deprecated Use {@link testPackWith}; `packTester` is removed in the next release.
 * @example
 * const testPack = testPackWith((a, e) => expect(a).toEqual(e)); // formerly packTester(...)
 */
export const packTester = testPackWith; // deprecated alias

function runPackTest(
  def: PackDef,
  options: PackTestOptions,
  body: (t: PackTestContext) => void,
  assert: (actual: unknown, expected: unknown) => void,
): PackTestResult {
  const guard = new VirtualTimeGuard();
  // A command that used a promise explains every failed expectation: say so first.
  const scheduler = new TestScheduler((actual, expected) => {
    guard.throwIfMisused();
    assert(actual, expected);
  });
  const errors: unknown[] = [];
  const { stopAt = 60_000, stop, latency, ...packOptions } = options;
  const api = new InMemoryFlyteApi({ scheduler, latency });
  const model = api.model;
  const pack = new Pack(guard.guard(def), {
    logger: silentLogger,
    ...packOptions,
    transport: {
      ...packOptions.transport,
      backoff: { random: () => 0.5, ...packOptions.transport?.backoff },
    },
    api,
    scheduler,
  });
  pack.errors$.subscribe((e) => errors.push(e));
  guard.watch(() =>
    scheduler.run((helpers) => {
      const results$ = serverResults$(model);
      const events$ = serverEvents$(model);
      const takes$ = api.calls$.pipe(
        filter((c) => c.method === 'take'),
        map((c): TakeOutcome =>
          c.outcome === 'ok' ? 'action' : c.outcome === 'empty' ? 'empty' : 'error',
        ),
      );
      const context: PackTestContext = {
        ...helpers,
        pack,
        api,
        model,
        scheduler,
        results$,
        events$,
        takes$,
        enqueue: (marbles, actions) =>
          void helpers.cold<ActionSpec>(marbles, actions).subscribe((spec) => {
            const action = typeof spec === 'string' ? { command: spec } : spec;
            model.enqueueAction({ packName: def.name, ...action });
          }),
        sendEvents: (marbles, events) =>
          void helpers.cold(marbles, events).subscribe((event) => {
            guard.unwatched(() => pack.sendEvent(event).catch(() => undefined)); // a refusal is on errors$
          }),
        at: (time, fn) =>
          void scheduler.schedule(() => guard.unwatched(fn), time - scheduler.now()),
        expectResults: (marbles, values) =>
          helpers
            .expectObservable(
              results$.pipe(map(comparableTo(marbles, values, () => scheduler.now()))),
            )
            .toBe(marbles, values),
        expectEvents: (marbles, values) => helpers.expectObservable(events$).toBe(marbles, values),
        expectTakes: (marbles, values = TAKE_VALUES) =>
          helpers.expectObservable(takes$).toBe(marbles, values),
      };
      body(context);
      scheduler.schedule(() => guard.unwatched(() => void pack.start().catch(() => undefined)), 0);
      scheduler.schedule(() => guard.unwatched(() => void pack.stop(stop)), stopAt);
    }),
  );
  guard.throwIfMisused();
  return { pack, api, model, errors };
}
