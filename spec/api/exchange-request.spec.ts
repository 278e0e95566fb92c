import type { ExchangeRequest, HttpExchange, HttpResponse } from '../../lib/api/http-exchange.js';
import { HttpFlyteApi } from '../../lib/api/http-flyte-api.js';
import { registeredPack } from '../streams/fixtures.js';

// An exchange is a plain function, so wrapping one (to add a header, to count) by spreading
// the request is the natural way to write it: what the request carries must survive that.
describe('the request an exchange is given', () => {
  /** An inner exchange that hangs until its request's signal aborts. */
  function hangingUntilAborted(): { exchange: HttpExchange; seen: ExchangeRequest[] } {
    const seen: ExchangeRequest[] = [];
    const exchange: HttpExchange = (request) =>
      new Promise<HttpResponse>((_resolve, reject) => {
        seen.push(request);
        request.signal.addEventListener('abort', () => reject(new Error('aborted')));
      });
    return { exchange, seen };
  }

  it('keeps its signal, its abort and its fields when a wrapping exchange spreads it', () => {
    const inner = hangingUntilAborted();
    const wrapping: HttpExchange = (request) =>
      inner.exchange({ ...request, headers: { ...request.headers, 'X-Extra': '1' } });
    const api = new HttpFlyteApi({ url: 'http://flyte/v1', exchange: wrapping, timeout: 0 });
    const subscription = api.takeAction(registeredPack()).subscribe({ error: () => undefined });
    const [request] = inner.seen;
    expect(request).toBeDefined();
    expect(request!.signal.aborted).toBe(false);
    let heard = false;
    request!.onAbort?.(() => (heard = true));
    subscription.unsubscribe();
    expect(request!.signal.aborted).toBe(true);
    expect(heard).toBe(true);
    expect([request!.method, request!.url, request!.headers['X-Extra']]).toEqual([
      'POST',
      'http://flyte/v1/packs/p1/actions/take',
      '1',
    ]);
  });
});
