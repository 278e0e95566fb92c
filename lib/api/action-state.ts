import { map, mergeMap, type Observable, of, throwError } from 'rxjs';
import type { AuditFlow } from '../model/audit.js';
import { LinkNotFoundError } from '../model/errors.js';
import type { Action, ApiRoot } from '../model/wire-types.js';
import type { FlyteApi } from './flyte-api.js';

/**
 * The state of one action in the server's audit (`SUCCESS`, `FATAL`, `PENDING`, ...), or
 * `null` when the audit does not list it. A recovered action is read from its flow (by its
 * correlation id); any other from the newest flows of the pack's actions of its command
 * (`?actionPackName=…&actionName=…`, up to four pages of 50): a just-taken action is near
 * the top.
 *
 * @param api - the audit reads of the port.
 * @param root - the API root (its audit link).
 * @param packName - the pack's name (the audit's `actionPackName`).
 * @param action - the action.
 * @returns one state (or `null`), then completes; errors as the audit call does (a
 *   `LinkNotFoundError` when the port cannot read the audit at all).
 * @example
 * actionState(api, root, 'rota-pack', action).subscribe((state) => console.log(state)); // 'SUCCESS'
 */
export function actionState(
  api: Partial<Pick<FlyteApi, 'auditFlows' | 'auditFlow'>>,
  root: ApiRoot,
  packName: string,
  action: Action,
): Observable<string | null> {
  const stateIn = (flows: readonly (AuditFlow | null)[]) => {
    for (const flow of flows) {
      const found = flow?.actions.find((a) => a.id === action.id);
      if (found) return found.state.value;
    }
    return null;
  };
  const recovered = action.recovered;
  if (recovered && api.auditFlow) {
    return api.auditFlow(root, recovered.correlationId).pipe(map((flow) => stateIn([flow])));
  }
  if (!api.auditFlows) {
    // The port cannot read the audit at all: as if the root had no audit link.
    return throwError(() => new LinkNotFoundError({ rel: 'flowAudit/findFlows', available: [] }));
  }
  const auditFlows = api.auditFlows.bind(api);
  const page$ = (page: number): Observable<string | null> =>
    auditFlows(root, {
      actionPackName: packName,
      actionName: action.command,
      start: page * AUDIT_PAGE,
      limit: AUDIT_PAGE,
    }).pipe(
      mergeMap(({ flows }) => {
        const state = stateIn(flows);
        const more = state === null && flows.length === AUDIT_PAGE && page + 1 < AUDIT_PAGES;
        return more ? page$(page + 1) : of(state);
      }),
    );
  return page$(0);
}

/** Flows per page of the audit read (the server's default). */
const AUDIT_PAGE = 50;
/**
 * Pages read at most: an action whose result is being posted is among the newest flows of its
 * pack and command; one pushed further down is left to inference.
 */
const AUDIT_PAGES = 4;
