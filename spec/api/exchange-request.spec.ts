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

  // A getter written in an object literal is a new function for each request, which gives each
  // request a shape of its own (slow to build, slow for the exchange to read): every request's
  // signal getter must be one function, still own and enumerable for a spread.
  it('has one signal getter shared by every request, own and enumerable', () => {
    const { exchange, seen } = hangingUntilAborted();
    const api = new HttpFlyteApi({ url: 'http://flyte/v1', exchange, timeout: 0 });
    const subscriptions = [1, 2].map(() =>
      api.takeAction(registeredPack()).subscribe({ error: () => undefined }),
    );
    const [first, second] = seen.map((r) => Object.getOwnPropertyDescriptor(r, 'signal'));
    expect(first?.get).toEqual(jasmine.any(Function));
    expect(first?.enumerable).toBe(true);
    expect(second?.get).toBe(first?.get);
    expect(Object.keys(seen[0]!)).toContain('signal');
    subscriptions.forEach((s) => s.unsubscribe());
    expect(seen.map((r) => r.signal.aborted)).toEqual([true, true]);
  });
});
