import {
  asyncScheduler,
  catchError,
  defer,
  exhaustMap,
  filter,
  map,
  NEVER,
  type Observable,
  type SchedulerLike,
  startWith,
  switchMap,
  tap,
  throwError,
} from 'rxjs';
import type { FlyteApi } from '../api/flyte-api.js';
import type { ApiRoot, PackRegistration, RegisteredPack } from '../model/wire-types.js';
import { isHttpError, isPackDefinitionError, PackDefinitionError } from '../model/errors.js';
import type { BackoffConfig } from './backoff.js';
import { retryWithBackoff } from './backoff.js';

/**
 * A successful registration: the API root it was found through and the registered pack.
 *
 * @example
 * registration$(api, body).subscribe(({ root, pack }) => console.log(root.url, pack.id));
 */
export interface Registration {
  readonly root: ApiRoot;
  readonly pack: RegisteredPack;
}

/** Options of {@link registration$}. */
export interface RegistrationOptions {
  /**
   * Emits a pack the server no longer knows (a take or a post answered 404): the pack registers
   * again, unless that pack is already outdated (a newer registration exists) or a
   * registration is under way. @default NEVER
   */
  readonly reRegister$?: Observable<RegisteredPack>;
  /** Backoff between failed attempts. */
  readonly backoff?: BackoffConfig;
  /** Told before each wait after a failed attempt. */
  readonly onRetry?: (error: unknown, retryCount: number, delayMs: number) => void;
}

/**
 * Discovers the API root and registers the pack, retrying failures with exponential backoff
 * and jitter, then registers again each time `reRegister$` reports the current pack unknown.
 * Emits each registration. A definition error is not retried: a 400 to the registration (the
 * server refused the body) errors with a {@link PackDefinitionError}.
 *
 * @param api - the transport (`discover` and `register` are used).
 * @param body - the registration body ({@link toRegistration}).
 * @param options - the re-registration trigger, backoff and retry hook.
 * @param scheduler - the scheduler of the backoff waits.
 * @returns the registrations, first one first; never completes unless `reRegister$` does.
 * @example
 * const notFound$ = new Subject<RegisteredPack>();
 * registration$(api, toRegistration(def), { reRegister$: notFound$ }).subscribe(({ pack }) => current.next(pack));
 */
export function registration$(
  api: Pick<FlyteApi, 'discover' | 'register'>,
  body: PackRegistration,
  options: RegistrationOptions = {},
  scheduler: SchedulerLike = asyncScheduler,
): Observable<Registration> {
  const once$ = defer(() => api.discover()).pipe(
    switchMap((root) =>
      api.register(root, body).pipe(
        catchError((error: unknown) => throwError(() => refusal(body, error))),
        map((pack) => ({ root, pack })),
      ),
    ),
    retryWithBackoff<Registration>(
      options.backoff,
      { shouldRetry: (error) => !isPackDefinitionError(error), onRetry: options.onRetry },
      scheduler,
    ),
  );
  return defer(() => {
    let current: RegisteredPack | undefined;
    return (options.reRegister$ ?? NEVER).pipe(
      filter((stale) => stale === current),
      startWith(undefined),
      exhaustMap(() => once$),
      tap((registration) => (current = registration.pack)),
    );
  });
}

/** A 400 to the registration means the server refused the definition: not worth retrying. */
function refusal(body: PackRegistration, error: unknown): unknown {
  if (!isHttpError(error) || error.status !== 400) return error;
  const problem = `the server refused the registration of pack "${body.name}": ${error.message}`;
  return new PackDefinitionError([problem]);
}
