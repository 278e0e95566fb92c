import { filter, map, type Observable, tap, takeUntil } from 'rxjs';
import { errorMessage } from '../model/errors.js';
import type { Action } from '../model/wire-types.js';
import { recoverStranded$, type RecoveryConfig } from '../streams/recovery.js';
import type { ScanReach } from '../streams/scan-plan.js';
import type { Registration } from '../streams/registration.js';
import type { SlotLedger } from '../streams/slot-ledger.js';
import type { PackSettings } from './pack-settings.js';

/**
 * What {@link packRecovery$} needs.
 *
 * @example
 * packRecovery$({ packName, settings, registration$, slots, stop$, onError } satisfies PackRecoveryDeps);
 */
export interface PackRecoveryDeps {
  readonly packName: string;
  readonly settings: PackSettings & { readonly recovery: RecoveryConfig };
  readonly registration$: Observable<Registration>;
  /**
   * The handler slots: a stranded action is recovered only into a free one, bound to it until
   * its result's delivery ends; an action holding a slot (or settled lately) is never recovered.
   */
  readonly slots: SlotLedger;
  /** Once it emits, no scan starts. */
  readonly stop$: Observable<unknown>;
  /** Told of every failed scan, and of the error that turned recovery off. */
  readonly onError: (error: unknown) => void;
  /** Told how far each scan got. */
  readonly onScan?: (reach: ScanReach) => void;
}

/**
 * A pack's recovery of stranded actions ({@link recoverStranded$}), wired into the pack: each
 * stranded action found is recovered only when a handler slot is free (it reserves it, so a
 * recovered action never exceeds `concurrency`; otherwise the next scan finds it again), is
 * bound to its slot, and is logged with its id, command and how long it was stranded.
 * A failed scan is logged as a warning; recovery turning itself off (no audit, or 401, 403,
 * 404) is logged once.
 *
 * @param deps - the settings, registrations, slot ledger and stop signal.
 * @returns the recovered actions, to run like taken ones; completes at stop or when off.
 * @example
 * merge(taken$, packRecovery$(deps)).pipe(dispatch(options)).subscribe(onResult);
 */
export function packRecovery$(deps: PackRecoveryDeps): Observable<Action> {
  const { api, backoff, labels, logger, recovery, scheduler } = deps.settings;
  const { slots } = deps;
  const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;
  return recoverStranded$(
    {
      api,
      registration$: deps.registration$,
      labels,
      isHandling: (id, since) => slots.isHandling(id, since),
      backoff,
    },
    recovery,
    scheduler,
  ).pipe(
    takeUntil(deps.stop$),
    tap((event) => {
      if (event.kind === 'scanned') {
        const { reach } = event;
        deps.onScan?.(reach);
        const age =
          reach.oldest === undefined
            ? 'no flow'
            : `flows down to ${seconds(reach.cutoff + recovery.after - reach.oldest)} old`;
        logger.info(
          `scanned the audit for stranded actions: ${reach.requests} requests, ${reach.deepest} flows deep, ${age}, ${seconds(reach.unreadMs)} of the horizon left to read`,
          { ...reach },
        );
      } else if (event.kind === 'failed') {
        deps.onError(event.error);
        logger.warn(
          `scanning the audit for stranded actions failed (${event.failures} in a row): ${errorMessage(event.error)}`,
        );
      } else if (event.kind === 'off') {
        deps.onError(event.error);
        logger.warn(
          `recovery of stranded actions is off: the server's audit is not available to pack ` +
            `"${deps.packName}" (${errorMessage(event.error)})`,
        );
      }
    }),
    filter((event) => event.kind === 'stranded'),
    map((event) => event.action),
    filter((action) => {
      const strandedFor = action.recovered?.strandedFor ?? 0;
      const meta = { actionId: action.id, command: action.command, strandedFor };
      const slot = slots.reserve();
      if (!slot) {
        logger.debug(
          `stranded action ${action.id} (command "${action.command}") waits for a free slot: the next scan finds it again`,
          meta,
        );
        return false;
      }
      slot.bind(action);
      logger.warn(
        `recovering action ${action.id} (command "${action.command}"), stranded PENDING for ${seconds(strandedFor)}`,
        meta,
      );
      return true;
    }),
  );
}
