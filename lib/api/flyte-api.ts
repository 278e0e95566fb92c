import type { Observable } from 'rxjs';
import type { AuditFlow, AuditPage, AuditQuery } from '../model/audit.js';
import type {
  Action,
  ApiRoot,
  PackRegistration,
  RegisteredPack,
  WireEvent,
} from '../model/wire-types.js';

/**
 * Options of a single take.
 *
 * @example
 * api.takeAction(pack, { command: 'Rota' });
 */
export interface TakeActionOptions {
  /** Take only actions of this command (sent as the `actionName` parameter the server reads). */
  readonly command?: string;
}

/**
 * The port through which the pack runtime talks to a flyte server.
 *
 * Every method returns a **cold** observable: each subscription makes one call, emits one value
 * and completes, or errors with a {@link FlyteError}. Unsubscribing cancels the call where the
 * transport can. The HTTP adapter ({@link HttpFlyteApi}) is one implementation; the testing
 * kit's in-memory API is another.
 *
 * @example
 * const api: FlyteApi = new HttpFlyteApi({ url: 'http://localhost:8080' });
 * api.discover().pipe(switchMap((root) => api.register(root, body))).subscribe(console.log);
 */
export interface FlyteApi {
  /** `GET {base}/v1`: the API root and its links. */
  discover(): Observable<ApiRoot>;
  /** `POST <packs link>`: registers (or re-registers) the pack. */
  register(root: ApiRoot, registration: PackRegistration): Observable<RegisteredPack>;
  /**
   * `POST <take action link>`: the next action, or `null` when none is waiting (204).
   * Errors with `PackNotFoundError` when the server does not know the pack (404).
   */
  takeAction(pack: RegisteredPack, options?: TakeActionOptions): Observable<Action | null>;
  /** `POST <actionResult link>`: completes the action with the event (202). */
  completeAction(action: Action, event: WireEvent): Observable<void>;
  /** `POST <event link>`: posts a spontaneous event (202). */
  postEvent(pack: RegisteredPack, event: WireEvent): Observable<void>;
  /** `GET <health link>`: completes after emitting when the server is healthy; errors otherwise. */
  health(root: ApiRoot): Observable<void>;
  /**
   * `GET <audit link>?<query>`: a page of the flow audit, newest flows first. Errors with
   * a `LinkNotFoundError` when the root has no audit link. Optional: without it a pack
   * cannot recover stranded actions.
   */
  auditFlows?(root: ApiRoot, query: AuditQuery): Observable<AuditPage>;
  /**
   * `GET <audit link>/<correlationId>`: one flow of the audit, or `null` when the server does
   * not know it (404). Errors with a `LinkNotFoundError` when the root has no audit link.
   */
  auditFlow?(root: ApiRoot, correlationId: string): Observable<AuditFlow | null>;
}
