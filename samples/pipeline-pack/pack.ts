/**
 * The service-status pack: its `CheckStatus` command is an RxJS pipeline rather than a
 * handler function. Each action's input flows through the pipeline; the first event out is
 * the action's result.
 *
 * The probe and the scheduler are injected, so the whole pack — probe latency, retries,
 * timeout — is marble-testable in virtual time (see spec/samples/pipeline-pack.spec.ts).
 */
import {
  type Observable,
  type OperatorFunction,
  type SchedulerLike,
  asyncScheduler,
  catchError,
  map,
  of,
  pipe,
  retry,
  switchMap,
  timeout,
  timer,
} from 'rxjs';
import {
  defineCommand,
  defineEvent,
  definePack,
  fatalEvent,
  type OutputEvent,
  type TypedPackDef,
} from 'flyte-client';

/** What a probe reports. */
export type ServiceState = 'up' | 'degraded' | 'down';

/**
 * Emitted when the service answered the probe.
 *
 * @example
 * const e: EventOf<typeof statusChecked> = { eventDef: statusChecked, payload: { service: 'db', state: 'up' } };
 */
export const statusChecked = defineEvent('StatusChecked').withPayload<StatusChecked>();

/**
 * Emitted when the probe failed every attempt or timed out.
 *
 * @example
 * const e: EventOf<typeof statusCheckFailed> = { eventDef: statusCheckFailed, payload: { service: 'db', reason: 'timeout' } };
 */
export const statusCheckFailed = defineEvent('StatusCheckFailed').withPayload<StatusCheckFailed>();

/**
 * What `CheckStatus` answers with: `StatusChecked`, `StatusCheckFailed` or FATAL.
 *
 * @example
 * const e: StatusEvent = { eventDef: statusCheckFailed, payload: { service: 'db', reason: 'timed out' } };
 */
export type StatusEvent = OutputEvent<[typeof statusChecked, typeof statusCheckFailed]>;

/** Payload of {@link statusChecked}. */
export interface StatusChecked {
  readonly service: string;
  readonly state: ServiceState;
}

/** Payload of {@link statusCheckFailed}. */
export interface StatusCheckFailed {
  readonly service: string;
  readonly reason: string;
}

/**
 * How the status pack is built.
 *
 * @example
 * statusPack({ probe: (service) => http.get(`https://${service}/health`), attempts: 3 });
 */
export interface StatusPackConfig {
  /** Asks a service for its state; one value, then complete (or error). */
  readonly probe: (service: string) => Observable<ServiceState>;
  /** Attempts per action, the first included. @default 3 */
  readonly attempts?: number;
  /** Wait between attempts, in ms. @default 1000 */
  readonly retryDelay?: number;
  /** Time one attempt may take, in ms. @default 5000 */
  readonly probeTimeout?: number;
  /** @default asyncScheduler */
  readonly scheduler?: SchedulerLike;
}

/**
 * The `CheckStatus` pipeline: validates the input (`{ service: string }` or a plain string),
 * probes the service with a timeout and retries, and maps the outcome to an event. A bad
 * input is answered with a FATAL event (the preferred way over throwing).
 *
 * @param config - probe, retry and timeout settings.
 * @returns the command pipeline.
 * @example
 * const pipeline = checkStatus({ probe: () => of('up') });
 * of({ service: 'db' }).pipe(pipeline).subscribe(console.log); // StatusChecked { service: 'db', state: 'up' }
 */
export function checkStatus(config: StatusPackConfig): OperatorFunction<unknown, StatusEvent> {
  const scheduler = config.scheduler ?? asyncScheduler;
  const attempts = config.attempts ?? 3;
  const retryDelay = config.retryDelay ?? 1000;
  const probeTimeout = config.probeTimeout ?? 5000;
  return pipe(
    map(serviceOf),
    switchMap((service): Observable<StatusEvent> => {
      if (service === undefined) {
        return of(fatalEvent({ reason: 'input must be a service name or { "service": "name" }' }));
      }
      return config.probe(service).pipe(
        timeout({ first: probeTimeout, scheduler }),
        retry({ count: attempts - 1, delay: () => timer(retryDelay, scheduler) }),
        map((state) => ({ eventDef: statusChecked, payload: { service, state } })),
        catchError((err: unknown) =>
          of({ eventDef: statusCheckFailed, payload: { service, reason: reasonOf(err) } }),
        ),
      );
    }),
  );
}

/**
 * The definition of the service-status pack.
 *
 * @param config - probe, retry and timeout settings.
 * @returns the pack definition.
 * @example
 * const pack = new Pack(statusPack({ probe }), { url: process.env.FLYTE_API });
 */
export function statusPack(config: StatusPackConfig): TypedPackDef<readonly []> {
  return definePack({
    name: 'service-status-pack',
    commands: [
      defineCommand({
        name: 'CheckStatus',
        outputEvents: [statusChecked, statusCheckFailed],
        pipeline: checkStatus(config),
      }),
    ],
  });
}

function serviceOf(input: unknown): string | undefined {
  if (typeof input === 'string' && input.trim()) return input.trim();
  if (typeof input === 'object' && input !== null) {
    const service = (input as { service?: unknown }).service;
    if (typeof service === 'string' && service.trim()) return service.trim();
  }
  return undefined;
}

function reasonOf(err: unknown): string {
  if (err instanceof Error && err.name === 'TimeoutError') return 'timed out';
  return err instanceof Error ? err.message : String(err);
}
