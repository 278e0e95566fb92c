import { Observable } from 'rxjs';
import type { FlyteModel } from './flyte-model.js';

/**
 * An action result as the server recorded it.
 *
 * @example
 * const r: RecordedResult = { command: 'Rota', event: 'RotaRetrieved', payload: 'Jane' };
 */
export interface RecordedResult {
  /** The command of the action. */
  readonly command: string;
  /** The result event's name. */
  readonly event: string;
  /** The result event's payload. */
  readonly payload: unknown;
}

/**
 * A spontaneous event as the server recorded it.
 *
 * @example
 * const e: RecordedEvent = { event: 'SomeoneSeen', payload: { who: 'Ann' } };
 */
export interface RecordedEvent {
  /** The event's name. */
  readonly event: string;
  /** The event's payload. */
  readonly payload: unknown;
}

/**
 * Each action result the model records from now on, at the moment it is recorded
 * (`SUCCESS` or `FATAL`). Hot; never completes; results recorded before subscribing are not
 * replayed.
 *
 * @param model - the server state to watch.
 * @returns the results, in the order the server accepted them.
 * @example
 * serverResults$(api.model).subscribe((r) => console.log(r.command, r.event, r.payload));
 */
export function serverResults$(model: FlyteModel): Observable<RecordedResult> {
  return new Observable<RecordedResult>((subscriber) => {
    const seen = new Set(
      model
        .actions()
        .filter((a) => a.result)
        .map((a) => a.id),
    );
    return model.onChange(() => {
      for (const action of model.actions()) {
        if (!action.result || seen.has(action.id)) continue;
        seen.add(action.id);
        const { event, payload } = action.result;
        subscriber.next({ command: action.command, event, payload });
      }
    });
  });
}

/**
 * Each spontaneous event the model records from now on, at the moment it is recorded. Hot;
 * never completes; earlier events are not replayed.
 *
 * @param model - the server state to watch.
 * @returns the events, in the order the server accepted them.
 * @example
 * serverEvents$(api.model).subscribe((e) => console.log(e.event, e.payload));
 */
export function serverEvents$(model: FlyteModel): Observable<RecordedEvent> {
  return new Observable<RecordedEvent>((subscriber) => {
    let seen = model.events().length;
    return model.onChange(() => {
      const events = model.events();
      // A reset empties the list: start counting again from there.
      if (events.length < seen) seen = 0;
      for (; seen < events.length; seen++) {
        const { event, payload } = events[seen]!;
        subscriber.next({ event, payload });
      }
    });
  });
}
