import { BehaviorSubject, filter, map, type Observable, of, take, throwError, timer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { AuditAction, AuditFlow, AuditQuery } from '../../lib/model/audit.js';
import { HttpError, LinkNotFoundError } from '../../lib/model/errors.js';
import type { Registration } from '../../lib/streams/registration.js';
import {
  recoverStranded$,
  type RecoveryConfig,
  type RecoveryDeps,
  type RecoveryEvent,
} from '../../lib/streams/recovery.js';
import { registeredPack, registration } from './fixtures.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** An action of the pack `rota-pack`, PENDING since `pendingAt` (virtual ms) unless said otherwise. */
function auditAction(id: string, pendingAt: number, more: Partial<AuditAction> = {}): AuditAction {
  const state = { value: 'PENDING', time: iso(pendingAt) };
  return {
    id,
    command: 'Rota',
    packName: 'rota-pack',
    packLabels: {},
    input: { id },
    state,
    states: [{ value: 'NEW', time: iso(pendingAt - 1) }, state],
    correlationId: `c-${id}`,
    stepId: 'step',
    ...more,
  };
}
const flowOf = (...actions: AuditAction[]): AuditFlow => ({
  name: 'flow',
  correlationId: actions[0]!.correlationId,
  actions,
});

describe('recoverStranded$', () => {
  let scheduler: TestScheduler;
  const pack = {
    ...registeredPack('rota-pack.env.prod'),
    url: 'http://flyte/v1/packs/rota-pack.env.prod',
  };
  const reg = registration(pack);
  /** The stranded actions' ids and the other events' kinds, but for the scans' reach. */
  const ids = (events$: Observable<RecoveryEvent>) =>
    events$.pipe(
      filter((e) => e.kind !== 'scanned'),
      map((e) => (e.kind === 'stranded' ? e.action.id : e.kind)),
    );
  /** No jitter: the first scan at once, then every `0.9 × every` after the last one ended. */
  const noJitter = { random: () => 0 };

  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  /** Deps whose audit answers `answer(query, now)`; every query is recorded with its time. */
  function deps(
    answer: (query: AuditQuery, now: number) => Observable<AuditFlow[]>,
    more: Partial<RecoveryDeps> = {},
  ): RecoveryDeps & { queries: { at: number; query: AuditQuery }[] } {
    const queries: { at: number; query: AuditQuery }[] = [];
    return {
      queries,
      api: {
        auditFlows: (root, query) => {
          expect(root).toBe(reg.root);
          queries.push({ at: scheduler.now(), query });
          return answer(query, scheduler.now()).pipe(
            map((flows) => ({ flows, serverTime: scheduler.now() })),
          );
        },
      },
      registration$: new BehaviorSubject<Registration>(reg),
      labels: { env: 'prod' },
      isHandling: () => false,
      ...more,
    };
  }

  it("emits the pack's actions PENDING longer than `after`, as actions to run at the pack's result link", () => {
    scheduler.run(({ expectObservable }) => {
      const flows = [
        flowOf(auditAction('old', -50)),
        flowOf(auditAction('young', -5)), // PENDING for less than `after`
        flowOf(auditAction('done', -50, { state: { value: 'SUCCESS', time: iso(-40) } })),
        flowOf(auditAction('other-pack', -50, { packName: 'other' })),
        flowOf(auditAction('other-env', -50, { packLabels: { env: 'dev' } })),
        flowOf(auditAction('labelled', -50, { packLabels: { env: 'prod' } })),
        flowOf(auditAction('mine', -50)),
      ];
      const d = deps(() => of(flows), {
        isHandling: (id, since) => (expect(since).toBe(0), id === 'mine'),
      });
      const events$ = recoverStranded$(d, { after: 20, every: 100, ...noJitter }, scheduler);
      expectObservable(ids(events$), '^ 50ms !').toBe('(ab)', { a: 'old', b: 'labelled' });
      let first: RecoveryEvent | undefined;
      events$.pipe(take(1)).subscribe((e) => (first = e));
      scheduler.flush();
      expect(first).toEqual({
        kind: 'stranded',
        action: {
          id: 'old',
          command: 'Rota',
          input: { id: 'old' },
          resultUrl: 'http://flyte/v1/packs/rota-pack.env.prod/actions/old/result',
          links: [
            {
              href: 'http://flyte/v1/packs/rota-pack.env.prod/actions/old/result',
              rel: 'actionResult',
            },
          ],
          recovered: { strandedFor: 50, pendingSince: iso(-50), correlationId: 'c-old' },
        },
      });
      expect(d.queries[0]!.query).toEqual({ actionPackName: 'rota-pack', start: 0, limit: 50 });
    });
  });

  it('scans on its own schedule, never two at once: the next wait starts when a scan ends', () => {
    scheduler.run(({ expectObservable }) => {
      const d = deps(() => timer(25).pipe(map(() => [])));
      const config = { after: 1, every: 10, ...noJitter };
      expectObservable(ids(recoverStranded$(d, config, scheduler)), '^ 75ms !').toBe('');
      scheduler.flush();
      expect(d.queries.map((q) => q.at)).toEqual([0, 34, 68]);
    });
  });

  it('starts each replica at its own phase and jitters every period by ±10 %', () => {
    scheduler.run(({ expectObservable }) => {
      const draws = [0.5, 1, 0];
      const d = deps(() => of([]));
      const config = { after: 1, every: 100, random: () => draws.shift() ?? 0.5 };
      expectObservable(ids(recoverStranded$(d, config, scheduler)), '^ 400ms !').toBe('');
      scheduler.flush();
      // 100 × 0.5; then 100 × 1.1; then 100 × 0.9; then 100 × 1.0.
      expect(d.queries.map((q) => q.at)).toEqual([50, 160, 250, 350]);
    });
  });

  it('stops paging at the first flow older than the horizon', () => {
    scheduler.run(({ expectObservable }) => {
      const all = [flowOf(auditAction('new', -100)), flowOf(auditAction('ancient', -10_000))];
      const more = [flowOf(auditAction('older', -20_000)), flowOf(auditAction('oldest', -30_000))];
      const d = deps((q) => of(q.start === 0 ? all : more));
      const config: RecoveryConfig = {
        after: 10,
        every: 100_000,
        horizon: 5000,
        pageSize: 2,
        ...noJitter,
      };
      expectObservable(ids(recoverStranded$(d, config, scheduler)), '^ 50ms !').toBe('(ab)', {
        a: 'new',
        b: 'ancient',
      });
      scheduler.flush();
      expect(d.queries.length).toBe(1);
    });
  });

  it('backs off after failed scans: ticks are skipped until the backoff has passed', () => {
    scheduler.run(({ expectObservable }) => {
      const error = new HttpError({
        method: 'GET',
        url: 'http://flyte/v1/audit/flows',
        status: 500,
      });
      const d = deps(() => throwError(() => error), {
        backoff: { initialDelay: 25, factor: 2, maxDelay: 1000, random: () => 1 },
      });
      const events$ = recoverStranded$(d, { after: 1, every: 10, ...noJitter }, scheduler);
      expectObservable(ids(events$), '^ 100ms !').toBe('f 24ms f 49ms f', { f: 'failed' });
      scheduler.flush();
      expect(d.queries.map((q) => q.at)).toEqual([0, 25, 75]);
    });
  });

  for (const [what, error] of [
    ['a 403', new HttpError({ method: 'GET', url: 'http://flyte/v1/audit/flows', status: 403 })],
    ['a 401', new HttpError({ method: 'GET', url: 'http://flyte/v1/audit/flows', status: 401 })],
    ['a 404', new HttpError({ method: 'GET', url: 'http://flyte/v1/audit/flows', status: 404 })],
    ['no audit link', new LinkNotFoundError({ rel: 'flowAudit/findFlows', available: ['self'] })],
  ] as const) {
    it(`turns itself off on ${what}: one "off", then completes, never asks again`, () => {
      scheduler.run(({ expectObservable }) => {
        const d = deps(() => throwError(() => error));
        const events$ = recoverStranded$(d, { after: 1, every: 10, ...noJitter }, scheduler);
        expectObservable(events$).toBe('(o|)', { o: { kind: 'off', error } });
        scheduler.flush();
        expect(d.queries.length).toBe(1);
      });
    });
  }

  it('turns itself off when the transport has no audit at all', () => {
    scheduler.run(({ expectObservable }) => {
      const d = { ...deps(() => of([])), api: {} };
      const config = { after: 1, every: 10, ...noJitter };
      expectObservable(ids(recoverStranded$(d, config, scheduler))).toBe('(o|)', {
        o: 'off',
      });
    });
  });

  it("measures ages with the server's clock (the audit answer's Date), not the local one", () => {
    scheduler.run(({ expectObservable }) => {
      // The server's clock is a minute ahead: an action PENDING 10 ms by the local clock has
      // been PENDING a minute and 10 ms by the server's.
      const d = deps(() => of([]));
      const api = {
        auditFlows: () =>
          of({ flows: [flowOf(auditAction('skewed', 60_000 - 10))], serverTime: 120_000 }),
      };
      const events$ = recoverStranded$(
        { ...d, api },
        { after: 60_000, every: 1000, ...noJitter },
        scheduler,
      );
      let found: RecoveryEvent | undefined;
      events$.pipe(take(1)).subscribe((e) => (found = e));
      expectObservable(ids(events$), '^ 10ms !').toBe('a', { a: 'skewed' });
      scheduler.flush();
      expect(found?.kind === 'stranded' && found.action.recovered?.strandedFor).toBe(60_010);
    });
  });

  it('re-reads a stranded action just before emitting it, and skips it when no longer PENDING', () => {
    scheduler.run(({ expectObservable }) => {
      const flows = [flowOf(auditAction('finished', -50)), flowOf(auditAction('still', -50))];
      const reread: string[] = [];
      const d = deps(() => of(flows));
      const api = {
        ...d.api,
        auditFlow: (root: unknown, correlationId: string) => {
          expect(root).toBe(reg.root);
          reread.push(correlationId);
          const [flow] = flows.filter((f) => f.correlationId === correlationId);
          const done = { value: 'SUCCESS', time: iso(-1) };
          return of(
            correlationId === 'c-finished'
              ? flowOf(auditAction('finished', -50, { state: done }))
              : flow!,
          );
        },
      };
      const events$ = recoverStranded$(
        { ...d, api },
        { after: 20, every: 100, ...noJitter },
        scheduler,
      );
      expectObservable(ids(events$), '^ 50ms !').toBe('a', { a: 'still' });
      scheduler.flush();
      expect(reread).toEqual(['c-finished', 'c-still']);
    });
  });
});
