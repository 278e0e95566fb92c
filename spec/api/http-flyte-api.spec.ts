import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { HttpFlyteApi } from '../../lib/api/http-flyte-api.js';
import type { ApiRoot, RegisteredPack } from '../../lib/model/wire-types.js';
import {
  HttpError,
  isHttpError,
  isLinkNotFoundError,
  isPackNotFoundError,
  isUnauthorizedError,
  PackNotFoundError,
} from '../../lib/model/errors.js';
import type { PackDef } from '../../lib/model/definitions.js';
import { toRegistration } from '../../lib/model/registration-body.js';
import type { FakeFlyteServerControl } from '../../lib/testing/fake-flyte-server-control.js';
import { errorOf } from '../support/error-of.js';
import { freshFakeServer } from '../support/fresh-fake-server.js';
import { fetchSpy } from './fetch-spy.js';

const sent = { name: 'MessageSent' };
const def: PackDef = {
  name: 'Slack',
  labels: { env: 'prod' },
  helpUrl: 'https://github.com/org/slack-pack',
  commands: [
    {
      name: 'Send',
      outputEvents: [sent, { name: 'SendFailed' }],
      handler: () => ({ eventDef: sent, payload: 1 }),
    },
    {
      name: 'Rota',
      outputEvents: [{ name: 'RotaRetrieved', helpUrl: 'https://docs/rota' }],
      handler: () => ({ eventDef: sent, payload: 1 }),
    },
  ],
  events: [{ name: 'ReceivedMessage' }],
};
const wire = (event: string, payload: unknown = {}) => ({
  event,
  payload,
  createdAt: '2024-05-01T10:00:00.000Z',
});

describe('HttpFlyteApi against the fake flyte server', () => {
  let base: string;
  let control: FakeFlyteServerControl;
  let api: HttpFlyteApi;
  let root: ApiRoot;
  let pack: RegisteredPack;

  beforeEach(async () => {
    ({ base, control } = await freshFakeServer());
    api = new HttpFlyteApi({ url: base });
    root = await firstValueFrom(api.discover());
    pack = await firstValueFrom(api.register(root, toRegistration(def)));
  });

  describe('discover', () => {
    it('GETs {base}/v1 and finds the packs and health links', () => {
      expect(root.url).toBe(`${base}/v1`);
      expect(root.packsUrl).toBe(`${base}/v1/packs`);
      expect(root.healthUrl).toBe(`${base}/health`);
      expect(root.links.length).toBeGreaterThan(2);
    });

    it('ignores trailing slashes of the base URL', async () => {
      const spy = fetchSpy();
      const again = new HttpFlyteApi({ url: `${base}//`, fetch: spy.fetch });
      expect((await firstValueFrom(again.discover())).packsUrl).toBe(root.packsUrl);
      expect(spy.requests.map((r) => r.url)).toEqual([`${base}/v1`]);
    });

    it('keeps a path prefix of the base URL in front of /v1', async () => {
      const spy = fetchSpy({ route: (url) => url.replace('/flyte/', '/') });
      const prefixed = new HttpFlyteApi({ url: `${base}/flyte/`, fetch: spy.fetch });
      await firstValueFrom(prefixed.discover());
      expect(spy.requests.map((r) => [r.method, r.url])).toEqual([['GET', `${base}/flyte/v1`]]);
    });

    it('is cold: nothing is sent before subscribing, one request per subscription', async () => {
      const spy = fetchSpy();
      const cold = new HttpFlyteApi({ url: base, fetch: spy.fetch });
      const discover$ = cold.discover();
      expect(spy.requests.length).toBe(0);
      await firstValueFrom(discover$);
      await firstValueFrom(discover$);
      expect(spy.requests.length).toBe(2);
    });

    it('sends Accept and (on POST) Content-Type application/json', async () => {
      const seen: Record<string, string>[] = [];
      const recording = (async (input: RequestInfo | URL, init?: RequestInit) => {
        seen.push({ ...(init?.headers as Record<string, string>) });
        return fetch(input, init);
      }) as typeof fetch;
      const checked = new HttpFlyteApi({ url: base, fetch: recording });
      await firstValueFrom(checked.takeAction(pack));
      await firstValueFrom(checked.discover());
      expect(seen[0]).toEqual({ Accept: 'application/json', 'Content-Type': 'application/json' });
      expect(seen[1]).toEqual({ Accept: 'application/json' });
    });
  });

  describe('register', () => {
    it('POSTs the mapped definition and parses the 201: id, location, links', async () => {
      expect(pack.id).toBe('Slack.env.prod');
      expect(pack.name).toBe('Slack');
      expect(pack.url).toBe(`${base}/v1/packs/Slack.env.prod`);
      expect(pack.takeActionUrl).toBe(`${pack.url}/actions/take`);
      expect(pack.eventUrl).toBe(`${pack.url}/events`);
      expect(pack.commandTakeActionUrls).toEqual({
        Send: `${pack.url}/actions/take?commandName=Send`,
        Rota: `${pack.url}/actions/take?commandName=Rota`,
      });
      expect(pack.links[0]).toEqual({ href: 'https://github.com/org/slack-pack', rel: 'help' });
      const [stored] = await control.packs();
      expect(stored!.registration).toEqual(toRegistration(def));
    });

    it('is idempotent: registering again keeps the id', async () => {
      const again = await firstValueFrom(api.register(root, toRegistration(def)));
      expect(again.id).toBe(pack.id);
      expect((await control.packs()).length).toBe(1);
    });

    it('raises an HttpError with method, URL, status and body on 400', async () => {
      const bad = { ...toRegistration(def), links: [{ href: 'http://x/', rel: 'self' }] };
      const error = await errorOf(api.register(root, bad));
      expect(error).toBeInstanceOf(HttpError);
      const e = error as HttpError;
      expect([e.status, e.method, e.url]).toEqual([400, 'POST', root.packsUrl]);
      expect(e.bodyExcerpt).not.toBe('');
      expect(e.message).toContain(`POST ${root.packsUrl} answered 400`);
      expect(isPackNotFoundError(e) || isUnauthorizedError(e)).toBeFalse();
    });

    it('raises an HttpError on 500', async () => {
      await control.setFaults({ errorRate: 1, endpoints: ['register'] });
      const error = await errorOf(api.register(root, toRegistration(def)));
      expect(isHttpError(error) && error.status).toBe(500);
    });
  });

  describe('takeAction', () => {
    it('emits null on 204 (no action waiting)', async () => {
      expect(await lastValueFrom(api.takeAction(pack).pipe(toArray()))).toEqual([null]);
    });

    it('parses a 200 into an action whose id comes from the result link', async () => {
      const queued = await control.enqueueAction({
        packName: 'Slack',
        command: 'Send',
        input: { to: 'ann' },
      });
      const action = await firstValueFrom(api.takeAction(pack));
      expect(action).toEqual({
        id: queued.id,
        command: 'Send',
        input: { to: 'ann' },
        resultUrl: `${pack.url}/actions/${queued.id}/result`,
        links: [jasmine.objectContaining({ href: `${pack.url}/actions/${queued.id}/result` })],
      });
      expect((await control.action(queued.id))!.state).toBe('PENDING');
    });

    it('for one command, adds the actionName parameter the server reads', async () => {
      await control.enqueueAction({ packName: 'Slack', command: 'Send', input: 1 });
      const rota = await control.enqueueAction({ packName: 'Slack', command: 'Rota', input: 2 });
      const action = await firstValueFrom(api.takeAction(pack, { command: 'Rota' }));
      expect(action!.id).toBe(rota.id);
      const take = (await control.requests()).filter((r) => r.endpoint === 'take').pop()!;
      expect(take.query).toEqual({ commandName: 'Rota', actionName: 'Rota' });
    });

    it('raises a PackNotFoundError on 404 (pack deleted)', async () => {
      await control.deletePack(pack.id);
      const error = await errorOf(api.takeAction(pack));
      expect(error).toBeInstanceOf(PackNotFoundError);
      expect((error as PackNotFoundError).status).toBe(404);
    });

    it('raises an HttpError on 500', async () => {
      await control.setFaults({ errorRate: 1, endpoints: ['take'] });
      const error = await errorOf(api.takeAction(pack));
      expect(isPackNotFoundError(error)).toBeFalse();
      expect(isHttpError(error) && error.status).toBe(500);
    });

    it('aborts the request when unsubscribed', async () => {
      await control.setFaults({ dropRate: 1, dropWhen: 'hang', endpoints: ['take'] });
      const spy = fetchSpy();
      const hanging = new HttpFlyteApi({ url: base, fetch: spy.fetch });
      const values: unknown[] = [];
      const subscription = hanging
        .takeAction(pack)
        .subscribe({ next: (v) => values.push(v), error: (e) => values.push(e) });
      const request = await spy.firstRequest;
      expect(request.signal!.aborted).toBeFalse();
      subscription.unsubscribe();
      expect(request.signal!.aborted).toBeTrue();
      expect(values).toEqual([]);
    });
  });

  describe('completeAction', () => {
    it('POSTs the event to the result link; 202 completes the action', async () => {
      const queued = await control.enqueueAction({ packName: 'Slack', command: 'Send' });
      const action = (await firstValueFrom(api.takeAction(pack)))!;
      expect(
        await lastValueFrom(
          api.completeAction(action, wire('MessageSent', { ok: 1 })).pipe(toArray()),
        ),
      ).toEqual([undefined]);
      const done = (await control.action(queued.id))!;
      expect(done.state).toBe('SUCCESS');
      expect(done.result).toEqual(wire('MessageSent', { ok: 1 }));
    });

    it('raises an HttpError on 500 when the action is already completed', async () => {
      await control.enqueueAction({ packName: 'Slack', command: 'Send' });
      const action = (await firstValueFrom(api.takeAction(pack)))!;
      await firstValueFrom(api.completeAction(action, wire('MessageSent')));
      const error = await errorOf(api.completeAction(action, wire('MessageSent')));
      expect(isPackNotFoundError(error)).toBeFalse();
      expect(isHttpError(error) && error.status).toBe(500);
    });

    it('raises an HttpError on 400 and a PackNotFoundError on 404', async () => {
      await control.enqueueAction({ packName: 'Slack', command: 'Send' });
      const action = (await firstValueFrom(api.takeAction(pack)))!;
      const bad = await errorOf(
        api.completeAction(action, { ...wire('MessageSent'), createdAt: 'yesterday' }),
      );
      expect(isHttpError(bad) && bad.status).toBe(400);
      await control.deletePack(pack.id);
      expect(
        isPackNotFoundError(await errorOf(api.completeAction(action, wire('MessageSent')))),
      ).toBeTrue();
    });
  });

  describe('postEvent', () => {
    it('POSTs the event to the event link (202)', async () => {
      await firstValueFrom(api.postEvent(pack, wire('ReceivedMessage', 'hi')));
      const [event] = await control.events();
      expect([event!.packId, event!.event, event!.payload]).toEqual([
        pack.id,
        'ReceivedMessage',
        'hi',
      ]);
    });

    it('raises an HttpError on 400 and a PackNotFoundError on 404', async () => {
      const bad = await errorOf(api.postEvent(pack, { ...wire('X'), event: '' }));
      expect(isHttpError(bad) && bad.status).toBe(400);
      await control.deletePack(pack.id);
      expect(isPackNotFoundError(await errorOf(api.postEvent(pack, wire('X'))))).toBeTrue();
    });
  });

  describe('health', () => {
    it('completes on 200 and raises an HttpError on 500', async () => {
      expect(await lastValueFrom(api.health(root).pipe(toArray()))).toEqual([undefined]);
      await control.setHealthy(false);
      const error = await errorOf(api.health(root));
      expect(isHttpError(error) && error.status).toBe(500);
    });

    it('raises a LinkNotFoundError when the root has no health link', async () => {
      const { healthUrl: _omit, ...noHealth } = root;
      expect(isLinkNotFoundError(await errorOf(api.health(noHealth)))).toBeTrue();
    });
  });
});
