import { Observable, Subscription } from 'rxjs';
import { isPackNotFoundError } from '../model/errors.js';
import { type BackoffConfig, waitAfter } from './backoff.js';
import type { Registration } from './registration.js';

/**
 * What {@link reRegistration} needs.
 *
 * @example
 * reRegistration({ registration$, reRegister: (stale) => notFound$.next(stale), backoff: {} });
 */
export interface ReRegistrationDeps {
  /** The registrations, replaying the latest (a newer one after each re-registration). */
  readonly registration$: Observable<Registration>;
  /** Told when a call answered 404: the server no longer knows that registration's pack. */
  readonly reRegister?: (stale: Registration) => void;
  /** Backoff of failed calls, 404s that repeat included. */
  readonly backoff?: BackoffConfig;
  /**
   * The latest registration, known at once (what `registration$` replays first), when the
   * caller keeps it: a step that does not follow `registration$` ({@link ReRegistration.track})
   * reads it for {@link ReRegistration.usableNow} instead.
   */
  readonly latest?: () => Registration | undefined;
}

/**
 * The re-registration step of one run of calls against the registered pack (the take loop,
 * or the delivery of one event). See {@link reRegistration}.
 *
 * @example
 * const step = reRegistration({ registration$, reRegister, backoff });
 * step.current$.pipe(switchMap(({ pack }) => api.takeAction(pack)));
 */
export interface ReRegistration {
  /**
   * The registration to call with: the latest one newer than the last that answered 404
   * (after a 404 it waits for the re-registration). Emits once, then completes.
   */
  readonly current$: Observable<Registration>;
  /**
   * Records a failed call made with `used`. A 404 asks for re-registration and marks `used`
   * stale.
   *
   * @param error - why the call failed.
   * @param used - the registration the call was made with.
   * @param failures - the failures in a row, this one included (from 1).
   * @returns the wait before the next call, in ms: none for the first 404 in a row (the next
   *   call waits for the new registration anyway), else the backoff for `failures`.
   */
  failed(error: unknown, used: Registration, failures: number): number;
  /** Records a successful call: the next 404 retries at once again. */
  succeeded(): void;
  /**
   * Follows `registration$` so that {@link ReRegistration.usableNow} knows the latest one,
   * calling `onChange` at each; unsubscribe to stop following.
   *
   * @param onChange - told of each new registration.
   */
  track(onChange: () => void): Subscription;
  /**
   * The registration to call with, known at once: the latest one followed by
   * {@link ReRegistration.track} (else the caller's `latest`), unless it answered 404 (or
   * none yet).
   */
  usableNow(): Registration | undefined;
  /**
   * Marks `used` stale and asks for re-registration, without counting or waiting: for a caller
   * whose own policy decides the wait (the take policy does).
   *
   * @param used - the registration a call answered 404 with.
   */
  notFound(used: Registration): void;
}

/**
 * The wait before the next call after a failed one: none for the first 404 in a row (the next
 * call waits for the new registration anyway), else the backoff for `failures` (or the wait
 * the server asked for).
 *
 * @param backoff - the backoff settings.
 * @param error - why the call failed.
 * @param failures - the failures in a row, this one included (from 1).
 * @param notFoundsInRow - the 404s in a row, this one included (0 when it is not one).
 * @returns the wait in ms.
 * @example
 * failedCallWait({}, notFound, 1, 1); // 0
 */
export function failedCallWait(
  backoff: BackoffConfig,
  error: unknown,
  failures: number,
  notFoundsInRow: number,
): number {
  return isPackNotFoundError(error) && notFoundsInRow === 1
    ? 0
    : waitAfter(backoff, error, failures);
}

/**
 * The 404 → re-register → wait for the new registration → retry step that takes and posts
 * share. A 404 means the server no longer knows the pack (it was never registered, or the
 * server's dead-pack clean-up deleted it): the step asks for a re-registration and the next
 * call waits for a registration with a higher generation. A registration is recognised by its
 * generation, not by the identity of its `RegisteredPack`, so a transport that answers every
 * registration with the same object still re-registers. Only the first 404 in a row is retried
 * at once: a server that keeps answering 404 is backed off, not hammered with registrations.
 *
 * @param deps - the registrations, whom to ask for a new one, the backoff.
 * @returns the step, with its own state: make one per run of calls (inside `defer`).
 * @example
 * defer(() => {
 *   const step = reRegistration({ registration$, reRegister, backoff });
 *   return step.current$.pipe(switchMap(({ pack }) => api.postEvent(pack, wire)));
 * });
 */
export function reRegistration(deps: ReRegistrationDeps): ReRegistration {
  return new ReRegistrationStep(deps);
}

/** {@link reRegistration}'s step: one object of one class (a delivery makes one per item). */
class ReRegistrationStep implements ReRegistration {
  /** The highest generation a call found unknown (404). */
  private stale: number | undefined;
  private notFounds = 0;
  private latest: Registration | undefined;
  readonly current$: Observable<Registration>;

  constructor(private readonly deps: ReRegistrationDeps) {
    // One subscriber, not defer + filter + take: a delivery waits for it before every post.
    this.current$ = new Observable<Registration>((subscriber) => {
      const first = new Subscription();
      first.add(
        deps.registration$.subscribe({
          next: (registration) => {
            if (first.closed || !this.usable(registration)) return;
            first.unsubscribe();
            subscriber.next(registration);
            subscriber.complete();
          },
          error: (error: unknown) => subscriber.error(error),
          complete: () => subscriber.complete(),
        }),
      );
      return first;
    });
  }

  track(onChange: () => void): Subscription {
    return this.deps.registration$.subscribe((registration) => {
      this.latest = registration;
      onChange();
    });
  }

  usableNow(): Registration | undefined {
    const latest = this.latest ?? this.deps.latest?.();
    return latest !== undefined && this.usable(latest) ? latest : undefined;
  }

  failed(error: unknown, used: Registration, failures: number): number {
    if (isPackNotFoundError(error)) {
      this.notFounds += 1;
      this.notFound(used);
    }
    return failedCallWait(this.deps.backoff ?? {}, error, failures, this.notFounds);
  }

  succeeded(): void {
    this.notFounds = 0;
  }

  notFound(used: Registration): void {
    this.stale = Math.max(this.stale ?? 0, used.generation);
    this.deps.reRegister?.(used);
  }

  private usable(registration: Registration): boolean {
    return this.stale === undefined || registration.generation > this.stale;
  }
}
