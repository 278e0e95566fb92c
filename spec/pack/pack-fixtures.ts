import { delay, type Observable, of } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { Logger } from '../../lib/model/logger.js';
import type { EventDef, HandlerFn, PackDef } from '../../lib/model/definitions.js';
import { Pack } from '../../lib/pack/pack.js';
import type { PackOptions, StopOptions } from '../../lib/pack/pack-options.js';
import type { Latency } from '../../lib/testing/in-memory-call.js';
import { InMemoryFlyteApi } from '../../lib/testing/in-memory-flyte-api.js';

export const rotaRetrieved: EventDef<string> = { name: 'RotaRetrieved' };
export const seen: EventDef<{ who: string }> = { name: 'Seen' };

/** The rota pack with the given handler for its one command, `Rota`. */
export function rotaPack(handler: HandlerFn): PackDef {
  return {
    name: 'rota-pack',
    commands: [{ name: 'Rota', outputEvents: [rotaRetrieved], handler }],
    events: [seen],
  };
}

/** A handler that answers `RotaRetrieved` after `ms` of virtual time. */
export function slowRota(ms: number, scheduler: TestScheduler): HandlerFn {
  return (): Observable<{ eventDef: EventDef<string>; payload: string }> =>
    of({ eventDef: rotaRetrieved, payload: 'Ann' }).pipe(delay(ms, scheduler));
}

/** A pack over an in-memory flyte server in virtual time, with a silent spy logger. */
export function packRig(
  def: (scheduler: TestScheduler) => PackDef,
  options: Partial<PackOptions> = {},
  latency: Latency = 0,
) {
  const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  const api = new InMemoryFlyteApi({ scheduler, latency });
  const logger = jasmine.createSpyObj<Logger>('logger', ['error', 'warn', 'info', 'debug']);
  const pack = new Pack(def(scheduler), {
    api,
    scheduler,
    logger,
    ...options,
    transport: {
      ...options.transport,
      backoff: { random: () => 0.5, ...options.transport?.backoff },
    },
  });
  /** Records each value of `source$` with the virtual time it came at. */
  const timed = <T>(source$: Observable<T>) => {
    const seenValues: [number, T][] = [];
    source$.subscribe((value) => seenValues.push([scheduler.now(), value]));
    return seenValues;
  };
  const enqueue = (at: number, input: unknown = { day: 'mon' }) =>
    scheduler.schedule(
      () => api.model.enqueueAction({ packName: 'rota-pack', command: 'Rota', input }),
      at,
    );
  return { scheduler, api, pack, logger, timed, enqueue, model: api.model };
}

/**
 * Schedules `pack.stop(options)` at virtual time `at` (call inside `scheduler.run`); the
 * returned function tells when the stop resolved (`undefined` until then; let promises run).
 */
export function stopAt(
  scheduler: TestScheduler,
  pack: { stop: (options?: StopOptions) => Promise<void> },
  at: number,
  options: StopOptions,
): () => number | undefined {
  let stoppedAt: number | undefined;
  scheduler.schedule(() => void pack.stop(options).then(() => (stoppedAt = scheduler.now())), at);
  return () => stoppedAt;
}

/** Lets the promise callbacks queued by a virtual-time run settle. */
export async function settlePromises(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}
