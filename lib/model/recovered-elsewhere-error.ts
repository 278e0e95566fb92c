import { FlyteError } from './errors.js';

/**
 * A recovered action's result was not needed: the server answered its post with a bare 500
 * and the audit shows the action no longer `PENDING`, so another client completed it first
 * (another replica that recovered it too, or the client that took it; rarely, an earlier
 * attempt of this pack whose answer was lost). Not a loss and not a failure: reported on
 * `errors$` (and logged at info) so it can be counted, with the event this pack had produced.
 *
 * @example
 * pack.errors$.subscribe((e) => { if (isRecoveredElsewhereError(e)) console.log(e.actionId, e.state); });
 */
export class RecoveredElsewhereError extends FlyteError {
  override readonly name: string = 'RecoveredElsewhereError';
  /** The result this pack produced and did not deliver (wire form). */
  readonly event: {
    /** The event's name. */
    readonly event: string;
    /** The event's payload. */
    readonly payload: unknown;
    /** When the pack produced it (ISO 8601). */
    readonly createdAt: string;
  };
  /** The recovered action. */
  readonly actionId: string;
  /** The action's state in the audit (`SUCCESS` or `FATAL`). */
  readonly state: string;

  constructor(init: {
    message: string;
    event: RecoveredElsewhereError['event'];
    actionId: string;
    state: string;
    url?: string;
    cause?: unknown;
  }) {
    super(init.message, { url: init.url, cause: init.cause });
    this.event = init.event;
    this.actionId = init.actionId;
    this.state = init.state;
  }
}

/** @example if (isRecoveredElsewhereError(e)) recoveredElsewhere.inc(); */
export const isRecoveredElsewhereError = (e: unknown): e is RecoveredElsewhereError =>
  e instanceof RecoveredElsewhereError;
