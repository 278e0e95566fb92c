import { map, mergeMap, type Observable, take } from 'rxjs';
import type { FlyteApi } from '../api/flyte-api.js';
import type { Action } from '../model/wire-types.js';
import type { Registration } from './registration.js';

/**
 * The {@link DeliveryDeps.completedElsewhere} hook of a pack that recovers stranded actions:
 * for a recovered action only, it asks the audit (`auditFlow` by the action's correlation id)
 * for the action's state, and answers it when it is no longer `PENDING` (another client
 * completed it first), else `null`. For a taken action it answers `undefined`: the delivery
 * policy stays as it is.
 *
 * @param api - the audit read.
 * @param registration$ - the registrations, replaying the latest (for the API root).
 * @returns the hook.
 * @example
 * deliverOne$(item, { api, registration$, completedElsewhere: recoveredElsewhere(api, registration$) });
 */
export function recoveredElsewhere(
  api: Pick<FlyteApi, 'auditFlow'>,
  registration$: Observable<Registration>,
): (action: Action) => Observable<string | null> | undefined {
  return (action) => {
    const recovered = action.recovered;
    const auditFlow = api.auditFlow?.bind(api);
    if (!recovered || !auditFlow) return undefined;
    return registration$.pipe(
      take(1),
      mergeMap(({ root }) => auditFlow(root, recovered.correlationId)),
      take(1),
      map((flow) => {
        const state = flow?.actions.find((a) => a.id === action.id)?.state.value;
        return state !== undefined && state !== 'PENDING' && state !== 'NEW' ? state : null;
      }),
    );
  };
}
