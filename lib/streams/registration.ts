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
  throwError,
} from 'rxjs';
import type { FlyteApi } from '../api/flyte-api.js';
import type { ApiRoot, PackRegistration, RegisteredPack } from '../model/wire-types.js';
import { isHttpError, isPackDefinitionError, PackDefinitionError } from '../model/errors.js';
import { type BackoffConfig, retryWithBackoff } from './backoff.js';

/**
 * A successful registration: the API root it was found through, the registered pack, and its
 * generation (1 for the first registration, one more for each re-registration). The generation
 * tells a newer registration from an outdated one; the `RegisteredPack` may be the same object
 * each time (a transport is free to cache it).
 *
 * @example
 * registration$(api, body).subscribe(({ root, pack, generation }) => console.log(root.url, pack.id, generation));
 */
export interface Registration {
  /** The API root the pack was registered through. */
  readonly root: ApiRoot;
  /** The registered pack and its links. */
  readonly pack: RegisteredPack;
  /** 1 for the first registration, one more for each re-registration. */
  readonly generation: number;
}

/**
 * Options of {@link registration$}.
 *
 * @example
 * registration$(api, body, { reRegister$: notFound$, backoff: { maxDelay: 30_000 } });
 */
export interface RegistrationOptions {
  /**
   * Emits a registration the server no longer knows (a take or a post answered 404): the pack
   * registers again, unless that registration is already outdated (a newer one exists) or a
   * registration is under way. @default NEVER
   */
  readonly reRegister$?: Observable<Registration>;
  /** Backoff between failed attempts. */
  readonly backoff?: BackoffConfig;
  /** Told before each wait after a failed attempt. */
  readonly onRetry?: (error: unknown, retryCount: number, delayMs: number) => void;
}

/**
 * Discovers the API root and registers the pack, retrying failures with exponential backoff
 * and jitter, then registers again each time `reRegister$` reports the current pack unknown.
 * Emits each registration. A definition error is not retried: a 400 to the *first*
 * registration (the server refused the body) errors with a {@link PackDefinitionError}; a 400
 * to a re-registration (the server accepted the same body before) is retried like any failure.
 *
 * @param api - the transport (`discover` and `register` are used).
 * @param body - the registration body ({@link toRegistration}).
 * @param options - the re-registration trigger, backoff and retry hook.
 * @param scheduler - the scheduler of the backoff waits.
 * @returns the registrations, first one first; never completes unless `reRegister$` does.
 * @example
 * const notFound$ = new Subject<Registration>();
 * registration$(api, toRegistration(def), { reRegister$: notFound$ }).subscribe((r) => latest.next(r));
 */
export function registration$(
  api: Pick<FlyteApi, 'discover' | 'register'>,
  body: PackRegistration,
  options: RegistrationOptions = {},
  scheduler: SchedulerLike = asyncScheduler,
): Observable<Registration> {
  // Only the first registration's 400 is a definition error: the server accepted the same
  // body before, so a 400 on a re-registration is the server's trouble, retried with backoff.
  const once$ = (first: boolean) =>
    defer(() => api.discover()).pipe(
      switchMap((root) =>
        api.register(root, body).pipe(
          catchError((error: unknown) => throwError(() => (first ? refusal(body, error) : error))),
          map((pack) => ({ root, pack })),
        ),
      ),
      retryWithBackoff<Omit<Registration, 'generation'>>(
        options.backoff,
        { shouldRetry: (error) => !isPackDefinitionError(error), onRetry: options.onRetry },
        scheduler,
      ),
    );
  return defer(() => {
    let generation = 0;
    return (options.reRegister$ ?? NEVER).pipe(
      filter((stale) => stale.generation === generation),
      startWith(undefined),
      exhaustMap(() => once$(generation === 0)),
      map(({ root, pack }): Registration => ({ root, pack, generation: ++generation })),
    );
  });
}

/** A 400 to the registration means the server refused the definition: not worth retrying. */
function refusal(body: PackRegistration, error: unknown): unknown {
  if (!isHttpError(error) || error.status !== 400) return error;
  const problem = `the server refused the registration of pack "${body.name}": ${error.message}`;
  return new PackDefinitionError([problem]);
}
