import { filter, map, type Observable, tap } from 'rxjs';
import type { Action, RegisteredPack } from '../model/wire-types.js';
import type { CapacityGate } from '../streams/capacity-gate.js';
import { dispatch } from '../streams/dispatch.js';
import { poll$ } from '../streams/polling.js';
import type { PackDef } from '../model/definitions.js';
import type { ActionResult, PollOutcome } from '../model/outcomes.js';
import type { PackSettings } from './pack-settings.js';

/** What {@link packTakeLoop$} needs. */
export interface TakeLoopDeps {
  readonly def: PackDef;
  readonly settings: PackSettings;
  readonly gate: CapacityGate;
  /** The current registered pack, replaying the latest. */
  readonly pack$: Observable<RegisteredPack>;
  /** Replaying: once it emits, no new take starts. */
  readonly stop$: Observable<unknown>;
  /** Replaying: once it emits, running handlers are cancelled. */
  readonly cancel$: Observable<unknown>;
  readonly reRegister: (stale: RegisteredPack) => void;
  /** Told of every take. */
  readonly onPoll: (outcome: PollOutcome) => void;
  /** Told of every action taken, before its handler runs. */
  readonly onAction: (action: Action) => void;
}

/**
 * A pack's take loop and handlers: {@link poll$} feeding {@link dispatch}, with the pack's
 * settings. Emits one result per action taken; completes after `stop$` once every taken
 * action has its result. Release the action's slot on the gate when its result is handled.
 *
 * @param deps - the definition, settings, gate, signals and hooks.
 * @returns the results.
 * @example
 * packTakeLoop$({ def, settings, gate, pack$, stop$, cancel$, reRegister, onPoll, onAction })
 *   .subscribe((result) => { post(result); gate.release(); });
 */
export function packTakeLoop$(deps: TakeLoopDeps): Observable<ActionResult> {
  const { api, pollInterval, backoff, concurrency, handlerTimeout, logger, scheduler } =
    deps.settings;
  const polls$ = poll$(
    {
      pack$: deps.pack$,
      take: (pack) => api.takeAction(pack),
      gate: deps.gate,
      stop$: deps.stop$,
      reRegister: deps.reRegister,
      pollInterval,
      backoff,
    },
    scheduler,
  );
  const commands = deps.def.commands ?? [];
  return polls$.pipe(
    tap(deps.onPoll),
    filter((outcome) => outcome.kind === 'action'),
    map((outcome) => outcome.action as Action),
    tap(deps.onAction),
    dispatch({ commands, concurrency, handlerTimeout, cancel$: deps.cancel$, logger }, scheduler),
  );
}
