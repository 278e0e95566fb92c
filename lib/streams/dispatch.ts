import { asyncScheduler, type OperatorFunction, type SchedulerLike } from 'rxjs';
import type { Action } from '../model/wire-types.js';
import type { ActionResult } from '../model/outcomes.js';
import { type BoundedOptions, eachBounded } from './each-bounded.js';
import { runAction$, type RunActionOptions } from './run-action.js';

/** Options of {@link dispatch}. */
export interface DispatchOptions extends RunActionOptions, BoundedOptions {}

/**
 * Runs each action's handler, at most `concurrency` at once, and emits one
 * {@link ActionResult} per action, in the order they finish. Every failure is caught inside
 * the action's own inner observable ({@link runAction$}) and becomes a FATAL result, so one
 * action's failure never ends the stream.
 *
 * @param options - the commands, concurrency, timeout, cancel signal and logger.
 * @param scheduler - the scheduler of the handler timeouts.
 * @returns the operator from actions to results.
 * @example
 * actions$.pipe(dispatch({ commands: def.commands ?? [], concurrency: 4, handlerTimeout: 60_000 }))
 *   .subscribe((r) => outbox.next(r));
 */
export function dispatch(
  options: DispatchOptions,
  scheduler: SchedulerLike = asyncScheduler,
): OperatorFunction<Action, ActionResult> {
  return eachBounded(runAction$, options, scheduler);
}
