import { mergeMap } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { findLink } from '../../lib/api/links.js';
import type { RegisteredPack } from '../../lib/model/wire-types.js';
import {
  HttpError,
  NetworkError,
  PackNotFoundError,
  UnauthorizedError,
  isPackNotFoundError,
} from '../../lib/model/errors.js';
import { InMemoryFlyteApi } from '../../lib/testing/in-memory-flyte-api.js';

const registration = {
  name: 'page-of-duty-pack',
  commands: [
    { name: 'Rota', events: ['RotaRetrieved', 'Error'] },
    { name: 'Swap', events: ['Swapped'] },
  ],
  events: [{ name: 'RotaRetrieved' }, { name: 'Error' }, { name: 'Swapped' }],
};
const result = { event: 'RotaRetrieved', payload: 'Jane', createdAt: '2024-01-01T00:00:00Z' };

describe('InMemoryFlyteApi', () => {
  let scheduler: TestScheduler;
  let api: InMemoryFlyteApi;

  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    api = new InMemoryFlyteApi({ scheduler });
  });

  /** Registers synchronously (latency 0) and returns the registered pack. */
  function registered(target = api): RegisteredPack {
    let pack: RegisteredPack | undefined;
    target
      .discover()
      .subscribe((root) => target.register(root, registration).subscribe((p) => (pack = p)));
    return pack!;
  }

  it('answers discovery and registration with links a client finds by rel suffix', () => {
    let pack: RegisteredPack | undefined;
    api.discover().subscribe((root) => {
      expect(findLink(root.links, 'pack/listPacks').href).toBe(root.packsUrl);
      expect(findLink(root.links, 'info/health').href).toBe(root.healthUrl!);
      api.register(root, registration).subscribe((p) => (pack = p));
    });
    expect(pack!.id).toBe('page-of-duty-pack');
    expect(findLink(pack!.links, 'takeAction').href).toBe(pack!.takeActionUrl);
    expect(findLink(pack!.links, 'event').href).toBe(pack!.eventUrl);
    expect(pack!.commandTakeActionUrls['Swap']).toContain('commandName=Swap');
    expect(api.model.pack('page-of-duty-pack')?.registration.commands?.length).toBe(2);
  });

  it('is cold: nothing reaches the model until subscribed', () => {
    const pack = registered();
    const a = api.model.enqueueAction({ packName: 'page-of-duty-pack', command: 'Rota' });
    const take$ = api.takeAction(pack);
    expect(api.model.action(a.id)?.state).toBe('NEW');
    take$.subscribe();
    expect(api.model.action(a.id)?.state).toBe('PENDING');
  });

  it('takes the oldest action (of one command when asked) and completes it', () => {
    const pack = registered();
    api.model.enqueueAction({ packName: 'page-of-duty-pack', command: 'Rota', input: 'x' });
    const swap = api.model.enqueueAction({
      packName: 'page-of-duty-pack',
      command: 'Swap',
      input: 3,
    });
    scheduler.run(({ expectObservable }) => {
      const taken$ = api.takeAction(pack, { command: 'Swap' });
      expectObservable(taken$).toBe('(a|)', {
        a: jasmine.objectContaining({ id: swap.id, command: 'Swap', input: 3 }),
      });
    });
    const action = api.model.action(swap.id)!;
    expect(action.state).toBe('PENDING');
    let taken = null as unknown as Parameters<InMemoryFlyteApi['completeAction']>[0];
    api.takeAction(pack).subscribe((a) => (taken = a!));
    expect(findLink(taken.links, 'actionResult').href).toBe(taken.resultUrl);
    api.completeAction(taken, result).subscribe();
    expect(api.model.action(taken.id)?.result).toEqual(result);
    expect(api.model.action(taken.id)?.state).toBe('SUCCESS');
  });

  it('hands out an absent input as null, as the HTTP server sends it', () => {
    const pack = registered();
    api.model.enqueueAction({ packName: 'page-of-duty-pack', command: 'Rota' });
    let input: unknown = 'unset';
    api.takeAction(pack).subscribe((a) => (input = a!.input));
    expect(input).toBeNull();
  });

  it('answers an empty take with null, logged as empty', () => {
    const pack = registered();
    scheduler.run(({ expectObservable }) => {
      expectObservable(api.takeAction(pack)).toBe('(n|)', { n: null });
    });
    expect(api.callsOf('take').map((c) => c.outcome)).toEqual(['empty']);
  });

  it('answers after the configured latency, per method, on the scheduler', () => {
    api = new InMemoryFlyteApi({ scheduler, latency: { take: 5 } });
    const pack = registered();
    scheduler.run(({ expectObservable }) => {
      expectObservable(api.takeAction(pack)).toBe('5ms (n|)', { n: null });
    });
    const fresh = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    const slow = new InMemoryFlyteApi({ scheduler: fresh, latency: 3 });
    fresh.run(({ expectObservable }) => {
      expectObservable(slow.discover()).toBe('3ms (r|)', {
        r: jasmine.objectContaining({ url: 'http://flyte.test/v1' }),
      });
    });
  });

  it('maps a 404 of the model to PackNotFoundError and other refusals to HttpError', () => {
    const pack = registered();
    api.model.enqueueAction({ packName: 'page-of-duty-pack', command: 'Rota' });
    let action = null as unknown as Parameters<InMemoryFlyteApi['completeAction']>[0];
    api.takeAction(pack).subscribe((a) => (action = a!));
    api.completeAction(action, result).subscribe();
    const errors: unknown[] = [];
    api.completeAction(action, result).subscribe({ error: (e) => errors.push(e) });
    api.model.deletePack(pack.id);
    api.takeAction(pack).subscribe({ error: (e) => errors.push(e) });
    api.postEvent(pack, result).subscribe({ error: (e) => errors.push(e) });
    expect(errors[0]).toEqual(jasmine.any(HttpError));
    expect((errors[0] as HttpError).status).toBe(500);
    expect(isPackNotFoundError(errors[0])).toBeFalse();
    expect(errors[1]).toEqual(jasmine.any(PackNotFoundError));
    expect((errors[1] as HttpError).url).toBe(pack.takeActionUrl);
    expect(errors[2]).toEqual(jasmine.any(PackNotFoundError));
  });

  it('fails scripted calls before they reach the model, then lets them through', () => {
    const pack = registered();
    api.model.enqueueAction({ packName: 'page-of-duty-pack', command: 'Rota' });
    api.failNext('take', 503, 2).failNext('event', 401);
    const outcomes: unknown[] = [];
    for (let i = 0; i < 2; i++) api.takeAction(pack).subscribe({ error: (e) => outcomes.push(e) });
    expect(outcomes).toEqual([jasmine.any(HttpError), jasmine.any(HttpError)]);
    expect((outcomes[0] as HttpError).status).toBe(503);
    expect(api.model.actions()[0]!.state).toBe('NEW');
    api.takeAction(pack).subscribe();
    expect(api.model.actions()[0]!.state).toBe('PENDING');
    const errors: unknown[] = [];
    api.postEvent(pack, result).subscribe({ error: (e) => errors.push(e) });
    expect(errors[0]).toEqual(jasmine.any(UnauthorizedError));
    expect(api.model.events()).toEqual([]);
  });

  it('logs when each call was made, in virtual time', () => {
    const pack = registered();
    api.failNext('take', 500);
    scheduler.run(({ cold, expectObservable }) => {
      const takes$ = cold('a 999ms b 1999ms c|').pipe(mergeMap(() => api.takeAction(pack)));
      expectObservable(takes$).toBe('#', undefined, jasmine.any(HttpError));
    });
    scheduler.run(({ cold }) => {
      cold('a 999ms b 1999ms c|')
        .pipe(mergeMap(() => api.takeAction(pack)))
        .subscribe();
    });
    expect(api.timesOf('take')).toEqual([0, 0, 1000, 3000]);
    expect(api.callsOf('take').map((c) => c.outcome)).toEqual(['error', 'empty', 'empty', 'empty']);
  });

  it('forgets the calls logged so far on clearCalls, keeping the attempt count', () => {
    const pack = registered();
    api.takeAction(pack).subscribe();
    api.clearCalls();
    expect(api.calls).toEqual([]);
    const attempts: number[] = [];
    api.onCall(({ method, attempt }) => void (method === 'take' && attempts.push(attempt)));
    api.takeAction(pack).subscribe();
    expect(api.callsOf('take')).toEqual([jasmine.objectContaining({ seq: 3, outcome: 'empty' })]);
    expect(attempts).toEqual([2]);
  });

  it('can lose the answer after the work is done: a lost take strands the action', () => {
    const pack = registered();
    const a = api.model.enqueueAction({ packName: 'page-of-duty-pack', command: 'Rota' });
    api.failNext('take', { fault: 'network', when: 'after' });
    const errors: unknown[] = [];
    api.takeAction(pack).subscribe({ error: (e) => errors.push(e) });
    expect(errors[0]).toEqual(jasmine.any(NetworkError));
    expect(api.model.action(a.id)?.state).toBe('PENDING');
    expect(api.callsOf('take')[0]).toEqual(
      jasmine.objectContaining({ outcome: 'error', actionId: a.id }),
    );
  });

  it('hangs a call until it is unsubscribed, and logs it cancelled', () => {
    const pack = registered();
    api.failNext('take', 'hang');
    scheduler.run(({ expectObservable }) => {
      expectObservable(api.takeAction(pack), '^ 99ms !').toBe('');
    });
    expect(api.callsOf('take')[0]).toEqual(
      jasmine.objectContaining({ outcome: 'cancelled', time: 0, endedAt: 100 }),
    );
  });

  it('asks fault hooks per call, with the attempt number', () => {
    const pack = registered();
    const remove = api.onCall(({ method, attempt }) =>
      method === 'take' && attempt % 2 ? 500 : undefined,
    );
    const outcomes: string[] = [];
    for (let i = 0; i < 4; i++) {
      api
        .takeAction(pack)
        .subscribe({ next: () => outcomes.push('ok'), error: () => outcomes.push('error') });
    }
    remove();
    api.takeAction(pack).subscribe({ next: () => outcomes.push('ok') });
    expect(outcomes).toEqual(['error', 'ok', 'error', 'ok', 'ok']);
  });

  it('records spontaneous events and reports each answered call on calls$', () => {
    const pack = registered();
    const seen: string[] = [];
    api.calls$.subscribe((c) => seen.push(`${c.method}:${c.outcome}`));
    api
      .postEvent(pack, { event: 'Swapped', payload: { from: 'a' }, createdAt: result.createdAt })
      .subscribe();
    expect(api.model.events()).toEqual([
      jasmine.objectContaining({ packId: pack.id, event: 'Swapped', payload: { from: 'a' } }),
    ]);
    expect(seen).toEqual(['event:ok']);
  });

  describe('storeLatency (a store that takes time, as flyte on MongoDB)', () => {
    it('two overlapping takes of one NEW action: one gets it, the other a bare 500 with nothing changed', () => {
      api = new InMemoryFlyteApi({ scheduler, storeLatency: 2 });
      const pack = registered();
      const a = api.model.enqueueAction({ packName: 'page-of-duty-pack', command: 'Rota' });
      const lost = new HttpError({ method: 'POST', url: pack.takeActionUrl, status: 500 });
      scheduler.run(({ expectObservable }) => {
        expectObservable(api.takeAction(pack).pipe(mergeMap((x) => [x?.id]))).toBe('--(a|)', {
          a: a.id,
        });
        expectObservable(api.takeAction(pack)).toBe('--#', undefined, lost);
      });
      expect(api.model.action(a.id)?.history.map((h) => h.state)).toEqual(['NEW', 'PENDING']);
      expect((api.callsOf('take')[1].error as HttpError).bodyExcerpt).toBe('');
    });

    it('a take with nothing waiting answers at once', () => {
      api = new InMemoryFlyteApi({ scheduler, storeLatency: 2 });
      const pack = registered();
      scheduler.run(({ expectObservable }) => {
        expectObservable(api.takeAction(pack)).toBe('(n|)', { n: null });
      });
    });

    it('a result reads, waits, completes while PENDING, then waits for the flow before answering', () => {
      api = new InMemoryFlyteApi({ scheduler, storeLatency: 3 });
      const pack = registered();
      const a = api.model.enqueueAction({ packName: 'page-of-duty-pack', command: 'Rota' });
      let action: Parameters<InMemoryFlyteApi['completeAction']>[0] | undefined;
      scheduler.run(({ expectObservable, flush }) => {
        api.takeAction(pack).subscribe((x) => (action = x!));
        flush(); // the take answered at 3 ms; the results start there
        expectObservable(api.completeAction(action!, result)).toBe('9ms (v|)', {
          v: undefined,
        });
        expectObservable(api.completeAction(action!, result)).toBe(
          '6ms #',
          undefined,
          new HttpError({ method: 'POST', url: action!.resultUrl, status: 500 }),
        );
      });
      expect(api.model.action(a.id)?.state).toBe('SUCCESS');
    });
  });
});
