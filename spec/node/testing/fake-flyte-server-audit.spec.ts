import { firstValueFrom, switchMap } from 'rxjs';
import { HttpFlyteApi } from '../../../lib/api/http-flyte-api.js';
import { HttpError, LinkNotFoundError } from '../../../lib/model/errors.js';
import type { ApiRoot } from '../../../lib/model/wire-types.js';
import { FakeFlyteServer } from '../../../lib/testing/fake-flyte-server.js';
import { InMemoryFlyteApi } from '../../../lib/testing/in-memory-flyte-api.js';
import { takeAndVanish } from '../../../lib/testing/take-and-vanish.js';

describe("the fake server's audit (GET /v1/audit/flows), read with the HTTP adapter", () => {
  let server: FakeFlyteServer;
  let api: HttpFlyteApi;
  let root: ApiRoot;

  beforeEach(async () => {
    server = new FakeFlyteServer({ host: '127.0.0.1', port: 0 });
    await server.start();
    api = new HttpFlyteApi({ url: server.url });
    root = await firstValueFrom(api.discover());
  });

  afterEach(() => server.close());

  it('is found through the /v1 links (rel ending flowAudit/findFlows)', () => {
    expect(root.auditUrl).toBe(`${server.url}/v1/audit/flows`);
  });

  it('lists flows newest first with each action, its state and its real state history', async () => {
    const a = server.enqueueAction({ packName: 'Slack', command: 'Send', input: { to: 'ann' } });
    const b = server.enqueueAction({ packName: 'Slack', command: 'Send', input: 'b' });
    const taken = await takeAndVanish(server.url, { name: 'Slack' });
    expect(taken?.id).toBe(a.id); // a is now the newest (its PENDING is the latest state)

    const before = Date.now();
    const { flows, serverTime } = await firstValueFrom(
      api.auditFlows(root, { actionPackName: 'Slack' }),
    );

    expect(flows.map((f) => f.correlationId)).toEqual([a.id, b.id]);
    // The Date header: the server's clock, to the second.
    expect(serverTime).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(serverTime).toBeLessThanOrEqual(Date.now());
    const [action] = flows[0]!.actions;
    const record = server.action(a.id)!;
    expect(action).toEqual({
      id: a.id,
      command: 'Send',
      packName: 'Slack',
      packLabels: {},
      input: { to: 'ann' },
      state: { value: 'PENDING', time: record.history[1]!.at },
      states: record.history.map((h) => ({ value: h.state, time: h.at })),
      correlationId: a.id,
      stepId: 'Send',
    });
  });

  it('filters by pack name, labels (every one given on the action) and command; pages with start and limit', async () => {
    server.enqueueAction({ packName: 'Slack', command: 'Send', packLabels: { env: 'prod' } });
    server.enqueueAction({ packName: 'Slack', command: 'Send', packLabels: { env: 'dev' } });
    server.enqueueAction({ packName: 'Slack', command: 'Read' });
    server.enqueueAction({ packName: 'Mail', command: 'Send' });
    const ids = async (query: Parameters<HttpFlyteApi['auditFlows']>[1]) =>
      (await firstValueFrom(api.auditFlows(root, query))).flows.map((f) => f.actions[0]!.id);

    expect(await ids({ actionPackName: 'Slack' })).toEqual(['action-3', 'action-2', 'action-1']);
    expect(await ids({ actionPackName: 'Slack', actionPackLabels: { env: 'prod' } })).toEqual([
      'action-1',
    ]);
    expect(await ids({ actionName: 'Send' })).toEqual(['action-4', 'action-2', 'action-1']);
    expect(await ids({ actionPackName: 'Slack', start: 1, limit: 1 })).toEqual(['action-2']);
    expect(await ids({ actionPackName: 'Slack', start: 3 })).toEqual([]);
    const last = server.requests().at(-1)!;
    expect([last.path, last.query]).toEqual([
      '/v1/audit/flows',
      { actionPackName: 'Slack', start: '3' },
    ]);
  });

  it('groups the actions of one flow execution (correlationId); one flow by id, null when unknown (404)', async () => {
    server.enqueueAction({
      packName: 'Slack',
      command: 'Send',
      correlationId: 'c1',
      stepId: 's1',
      flowName: 'f',
    });
    server.enqueueAction({
      packName: 'Mail',
      command: 'Send',
      correlationId: 'c1',
      stepId: 's2',
      flowName: 'f',
    });

    const flow = await firstValueFrom(api.auditFlow!(root, 'c1'));
    expect(flow?.name).toBe('f');
    expect(flow?.actions.map((a) => [a.stepId, a.packName])).toEqual([
      ['s1', 'Slack'],
      ['s2', 'Mail'],
    ]);
    const { flows } = await firstValueFrom(api.auditFlows(root, { actionPackName: 'Mail' }));
    expect(flows[0]?.actions.length).toBe(2); // a flow carries all its actions
    expect(await firstValueFrom(api.auditFlow!(root, 'nope'))).toBeNull();
    expect(server.requests().at(-1)?.status).toBe(404);
  });

  it('can be faulted like every endpoint (a 403 from a deployment that restricts it)', async () => {
    server.setFaults({ errorRate: 1, errorStatus: 403, endpoints: ['audit'] });
    const error = await firstValueFrom(api.auditFlows(root, {})).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(403);
    expect(server.requests().at(-1)).toEqual(
      jasmine.objectContaining({ endpoint: 'audit', status: 403 }),
    );
  });

  it('without an audit link, the adapter errors with LinkNotFoundError and sends nothing', async () => {
    const bare = { ...root, auditUrl: undefined };
    server.clearRequests();
    const error = await firstValueFrom(api.auditFlows(bare, {})).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LinkNotFoundError);
    expect(server.requests()).toEqual([]);
  });

  it('the in-memory API answers the same flows as the fake server', async () => {
    const memory = new InMemoryFlyteApi();
    for (const target of [server, memory.model]) {
      target.enqueueAction({ packName: 'Slack', command: 'Send', input: 1 });
      target.enqueueAction({ packName: 'Slack', command: 'Read', packLabels: { env: 'x' } });
    }
    const viaHttp = await firstValueFrom(api.auditFlows(root, { actionPackName: 'Slack' }));
    const asked = Date.now();
    const viaMemory = await firstValueFrom(
      memory.discover().pipe(switchMap((r) => memory.auditFlows(r, { actionPackName: 'Slack' }))),
    );
    const shape = ({ flows }: typeof viaHttp) =>
      flows.map((f) =>
        f.actions.map((a) => ({ ...a, state: a.state.value, states: a.states.length })),
      );
    expect(shape(viaMemory)).toEqual(shape(viaHttp));
    // The in-memory server's clock is its model's.
    expect(viaMemory.serverTime).toBeGreaterThanOrEqual(asked);
    expect(viaMemory.serverTime).toBeLessThanOrEqual(memory.model.time());
    expect(memory.callsOf('audit').length).toBe(1);
  });
});
