import { firstValueFrom } from 'rxjs';
import { nodeFlyteApi } from '../../../lib/node/node-flyte-api.js';
import { nodeHttpExchange } from '../../../lib/node/node-http-transport.js';
import { FakeFlyteServer } from '../../../lib/testing/fake-flyte-server.js';
import { exchangeContract } from './exchange-contract.js';

exchangeContract('node:http', () => nodeHttpExchange());

describe('HttpFlyteApi over node:http (nodeFlyteApi)', () => {
  let server: FakeFlyteServer;

  beforeEach(async () => {
    server = new FakeFlyteServer({ host: '127.0.0.1', port: 0 });
    await server.start();
  });
  afterEach(() => server.close());

  it('takes and completes an action without an AbortController per request', async () => {
    const api = nodeFlyteApi({ url: server.url });
    const root = await firstValueFrom(api.discover());
    const body = { name: 'lean', commands: [{ name: 'Ping', events: ['Pong'] }], events: [] };
    const pack = await firstValueFrom(api.register(root, { ...body, labels: {} }));
    server.enqueueAction({ packName: 'lean', command: 'Ping' });
    const controllers = spyOn(globalThis, 'AbortController').and.callThrough();
    const action = await firstValueFrom(api.takeAction(pack));
    const event = { event: 'Pong', payload: {}, createdAt: new Date().toISOString() };
    await firstValueFrom(api.completeAction(action!, event), { defaultValue: undefined });
    expect(action?.command).toBe('Ping');
    expect(server.actions().map((a) => a.state)).toEqual(['SUCCESS']);
    expect(controllers).not.toHaveBeenCalled();
  });
});
