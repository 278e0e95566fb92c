// A FlyteApi that counts the takes in flight of the API it wraps: the peak and the
// time-weighted mean, for comparing the pack with a bare loop that has as many in flight.
import { defer, finalize, tap, type Observable } from 'rxjs';
import type { FlyteApi, TakeActionOptions } from '../lib/api/flyte-api.js';
import type {
  Action,
  ApiRoot,
  PackRegistration,
  RegisteredPack,
  WireEvent,
} from '../lib/model/wire-types.js';

/**
 * A {@link FlyteApi} that counts the takes in flight of the one it wraps.
 *
 * @example
 * const api = new CountingApi(new HttpFlyteApi({ url }));
 * const pack = new Pack(def, { url, api });
 * // ... later: api.mean(), api.peak
 */
export class CountingApi implements FlyteApi {
  private inFlight = 0;
  private since = performance.now();
  private readonly started = this.since;
  private area = 0;
  /** The most takes in flight at once. */
  peak = 0;

  /** @param api - the API whose takes are counted. */
  constructor(private readonly api: FlyteApi) {}

  /** Takes in flight averaged over the time since construction. */
  mean(): number {
    this.advance();
    const span = this.since - this.started;
    return span > 0 ? this.area / span : 0;
  }

  private advance(): void {
    const now = performance.now();
    this.area += this.inFlight * (now - this.since);
    this.since = now;
  }

  /** Delegated. */
  discover(): Observable<ApiRoot> {
    return this.api.discover();
  }

  /** Delegated. */
  register(root: ApiRoot, registration: PackRegistration): Observable<RegisteredPack> {
    return this.api.register(root, registration);
  }

  /** Delegated, counting the take from subscription to its answer. */
  takeAction(pack: RegisteredPack, options?: TakeActionOptions): Observable<Action | null> {
    return defer(() => {
      this.advance();
      this.inFlight++;
      this.peak = Math.max(this.peak, this.inFlight);
      // Over at its answer (or at unsubscribe, whichever comes first).
      let open = true;
      const close = () => {
        if (!open) return;
        open = false;
        this.advance();
        this.inFlight--;
      };
      return this.api
        .takeAction(pack, options)
        .pipe(tap({ next: close, error: close }), finalize(close));
    });
  }

  /** Delegated. */
  completeAction(action: Action, event: WireEvent): Observable<void> {
    return this.api.completeAction(action, event);
  }

  /** Delegated. */
  postEvent(pack: RegisteredPack, event: WireEvent): Observable<void> {
    return this.api.postEvent(pack, event);
  }

  /** Delegated. */
  health(root: ApiRoot): Observable<void> {
    return this.api.health(root);
  }
}
