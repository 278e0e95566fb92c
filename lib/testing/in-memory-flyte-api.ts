import { type Observable, type SchedulerLike, asyncScheduler } from 'rxjs';
import type { FlyteApi, TakeActionOptions } from '../api/flyte-api.js';
import type {
  Action,
  ApiRoot,
  PackRegistration,
  RegisteredPack,
  WireEvent,
} from '../model/wire-types.js';
import { CallRunner, type Latency, StoreStep } from './in-memory-call.js';
import type { ApiCall } from './in-memory-call-log.js';
import {
  type ApiMethod,
  type Fault,
  type FaultHook,
  type FaultKind,
  toFault,
} from './in-memory-faults.js';
import { IN_MEMORY_BASE_URL, InMemoryDocuments } from './in-memory-documents.js';
import { FlyteModel } from './flyte-model.js';
import {
  type AuditFilter,
  auditFilterOf,
  auditFlowRecord,
  type AuditFlowRecord,
  auditPage,
  sortedAuditFlows,
} from './flyte-audit.js';
import {
  auditSearchParams,
  type AuditFlow,
  type AuditPage,
  type AuditQuery,
} from '../model/audit.js';
import { type ActionRecord, ModelError } from './flyte-model-types.js';

/**
 * Options of an {@link InMemoryFlyteApi}.
 *
 * @example
 * new InMemoryFlyteApi({ scheduler: testScheduler, latency: { take: 5 } });
 */
export interface InMemoryFlyteApiOptions {
  /** The server state; shared with the test that enqueues actions. @default a new FlyteModel on the scheduler's clock */
  readonly model?: FlyteModel;
  /** The scheduler answers are delayed on and calls are timed by. @default asyncScheduler */
  readonly scheduler?: SchedulerLike;
  /** Time between a call and its answer, in ms: one for all calls, or per method. 0 answers synchronously. @default 0 */
  readonly latency?: Latency;
  /** The base URL of the synthetic links (never contacted). @default 'http://flyte.test' */
  readonly baseUrl?: string;
  /**
   * Time of one store operation on the scheduler, in ms, as the fake server's
   * `storeLatencyMs`: above 0 a take reads its candidate, waits and takes it only if it is
   * still NEW, else errors with the HttpError of a bare 500 (a lost race: nothing changed);
   * a result reads, waits, completes only if still PENDING, then waits for the flow's work.
   * 0 keeps every call atomic. @default 0
   */
  readonly storeLatency?: number;
}

/**
 * A {@link FlyteApi} over a {@link FlyteModel}, without any transport: the runtime talks to it
 * exactly as to a flyte server. Every method returns a cold observable; the call reaches the
 * model when subscribed and is answered synchronously, or after `latency` on the injected
 * scheduler, so whole-pack behaviour is marble-testable. Model refusals become the errors the
 * HTTP adapter raises (404 → PackNotFoundError, others → HttpError). Faults can be scripted
 * per call, and every call is logged with its time. Browser-safe.
 *
 * @example
 * const api = new InMemoryFlyteApi({ scheduler });
 * api.model.enqueueAction({ packName: 'page-of-duty-pack', command: 'Rota' });
 * api.failNext('take', 500, 2);                 // the first two takes answer 500
 * const pack = new Pack(def, { api, scheduler });
 * // ... later
 * expect(api.timesOf('take')).toEqual([0, 1000, 3000]);
 */
export class InMemoryFlyteApi implements FlyteApi {
  /** The server state behind this API. */
  readonly model: FlyteModel;
  private readonly docs: InMemoryDocuments;
  private readonly runner: CallRunner;
  private readonly storeLatency: number;
  /** The last sorted audit, reused while the actions and the filter are the same. */
  private audited?: { actions: readonly ActionRecord[]; key: string; flows: AuditFlowRecord[] };

  constructor(options: InMemoryFlyteApiOptions = {}) {
    const scheduler = options.scheduler ?? asyncScheduler;
    this.model = options.model ?? new FlyteModel({ now: () => scheduler.now() });
    this.runner = new CallRunner(scheduler, options.latency ?? 0);
    this.docs = new InMemoryDocuments(options.baseUrl ?? IN_MEMORY_BASE_URL);
    this.storeLatency = options.storeLatency ?? 0;
  }

  /** Every call so far, oldest first, with its time and outcome. */
  get calls(): readonly ApiCall[] {
    return this.runner.log.all();
  }

  /** Each call as it is answered (value or error). Hot; never completes. */
  get calls$(): Observable<ApiCall> {
    return this.runner.answered.asObservable();
  }

  /** The calls of one method. @example api.callsOf('complete').length */
  callsOf(method: ApiMethod): readonly ApiCall[] {
    return this.runner.log.all().filter((c) => c.method === method);
  }

  /** The times (`scheduler.now()`) at which calls of one method were made. @example api.timesOf('take') */
  timesOf(method: ApiMethod): readonly number[] {
    return this.callsOf(method).map((c) => c.time);
  }

  /**
   * Makes the next `times` calls of `method` fail.
   *
   * @param method - the call to fail.
   * @param fault - a status, `'network'`, `'timeout'`, `'hang'`, an Error, or `{ fault, when }`.
   * @param times - how many calls in a row. @default 1
   * @returns this, for chaining.
   * @example
   * api.failNext('take', 500, 3).failNext('complete', { fault: 'network', when: 'after' });
   */
  failNext(method: ApiMethod, fault: FaultKind | Fault, times = 1): this {
    this.runner.faults.queue(method, toFault(fault), times);
    return this;
  }

  /**
   * Adds a hook asked before every call (after queued faults); what it returns fails the call.
   *
   * @param hook - returns a fault, or `undefined` to let the call through.
   * @returns the function that removes the hook.
   * @example
   * api.onCall(({ method, attempt }) => (method === 'register' && attempt <= 2 ? 503 : undefined));
   */
  onCall(hook: FaultHook): () => void {
    return this.runner.faults.hook(hook);
  }

  /**
   * Forgets the calls logged so far (calls in flight stay), e.g. between the phases of a
   * test or the rounds of a benchmark. `attempt` numbers keep counting.
   *
   * @example
   * api.clearCalls(); expect(api.calls).toEqual([]);
   */
  clearCalls(): void {
    this.runner.log.clear();
  }

  /** Forgets every scripted fault and hook. */
  clearFaults(): void {
    this.runner.faults.clear();
  }

  discover(): Observable<ApiRoot> {
    const root = this.docs.root();
    return this.runner.call('discover', root.url, {}, () => root);
  }

  register(root: ApiRoot, registration: PackRegistration): Observable<RegisteredPack> {
    return this.runner.call('register', root.packsUrl, {}, () =>
      this.docs.registeredPack(this.model.registerPack(registration), registration),
    );
  }

  takeAction(pack: RegisteredPack, options: TakeActionOptions = {}): Observable<Action | null> {
    const url = options.command
      ? `${pack.takeActionUrl}?actionName=${encodeURIComponent(options.command)}`
      : pack.takeActionUrl;
    return this.runner.call('take', url, { packId: pack.id, command: options.command }, (note) => {
      const taken = (record: ActionRecord | null) => {
        if (record) note({ actionId: record.id, command: record.command });
        return record ? this.docs.action(pack.id, record) : null;
      };
      if (this.storeLatency <= 0) return taken(this.model.takeAction(pack.id, options.command));
      const candidate = this.model.nextAction(pack.id, options.command);
      if (!candidate) return null;
      return new StoreStep(this.storeLatency, () => {
        const record = this.model.claimAction(pack.id, candidate.id);
        if (!record) throw new ModelError(500, `action "${candidate.id}" was taken first`);
        return taken(record);
      });
    });
  }

  completeAction(action: Action, event: WireEvent): Observable<void> {
    const ids = this.docs.parseResultUrl(action.resultUrl);
    const info = { packId: ids?.packId, actionId: ids?.actionId ?? action.id, event };
    return this.runner.call('complete', action.resultUrl, info, () => {
      if (!ids) throw new ModelError(404, `no action at ${action.resultUrl}`);
      const complete = () => void this.model.completeAction(ids.packId, ids.actionId, event);
      if (this.storeLatency <= 0) return complete();
      this.model.checkCompletion(ids.packId, ids.actionId, event);
      return new StoreStep<void>(this.storeLatency, () => {
        complete();
        return new StoreStep<void>(this.storeLatency, () => undefined); // the flow's work
      });
    });
  }

  postEvent(pack: RegisteredPack, event: WireEvent): Observable<void> {
    return this.runner.call('event', pack.eventUrl, { packId: pack.id, event }, () => {
      this.model.postEvent(pack.id, event);
    });
  }

  health(root: ApiRoot): Observable<void> {
    return this.runner.call('health', root.healthUrl ?? `${root.url}/health`, {}, () => undefined);
  }

  auditFlows(root: ApiRoot, query: AuditQuery): Observable<AuditPage> {
    const params = auditSearchParams(query);
    const url = `${root.auditUrl ?? `${root.url}/audit/flows`}?${params.toString()}`;
    return this.runner.call('audit', url, {}, () => {
      const filter = auditFilterOf(params);
      const flows = this.docs.auditFlows(auditPage(this.sortedAudit(filter), filter));
      return { flows, serverTime: this.model.time() };
    });
  }

  auditFlow(root: ApiRoot, correlationId: string): Observable<AuditFlow | null> {
    const url = `${root.auditUrl ?? `${root.url}/audit/flows`}/${encodeURIComponent(correlationId)}`;
    return this.runner.call('audit', url, {}, () => {
      const flow = auditFlowRecord(this.model.actions(), correlationId);
      return flow ? this.docs.auditFlow(flow) : null;
    });
  }

  /** The audit's sorted flows for this filter; a deep page costs no more than the first. */
  private sortedAudit(filter: AuditFilter): AuditFlowRecord[] {
    const actions = this.model.actions();
    const key = JSON.stringify({ ...filter, start: 0, limit: 0 });
    if (this.audited?.actions !== actions || this.audited.key !== key) {
      this.audited = { actions, key, flows: sortedAuditFlows(actions, filter) };
    }
    return this.audited.flows;
  }
}
