// The objects made for every action keep one hidden class (V8's map) per kind. An object
// whose shape is its own (a getter written in an object literal, a property added after a
// spread: `{ ...x, extra }` gets a fresh map per object in Node 20 once its site is warm)
// costs a map allocated in old space, and makes every function that reads it megamorphic.
// Some sites turn only after their first few dozen runs, hence a few hundred objects.
// Run with --allow-natives-syntax (as `make test-node` does) to compare maps.
import { BehaviorSubject, lastValueFrom, of } from 'rxjs';
import { parseAction } from '../../../lib/api/parse-documents.js';
import type { HttpResponse } from '../../../lib/api/http-exchange.js';
import { deliverOne$, type DeliveryDeps } from '../../../lib/streams/delivery.js';
import { toDeliveryReceipt } from '../../../lib/model/delivered.js';
import type { DeliveryReport, OutboxItem } from '../../../lib/model/outbox-item.js';
import { runAction$ } from '../../../lib/streams/dispatch.js';
import type { HandlerContext } from '../../../lib/model/definitions.js';
import type { ExchangeRequest } from '../../../lib/api/http-exchange.js';
import { HttpFlyteApi } from '../../../lib/api/http-flyte-api.js';
import { anAction, command, ok, registeredPack, registration } from '../../streams/fixtures.js';

/** Whether `a` and `b` have one map; throws when V8's natives syntax is off. */
function sameShape(a: object, b: object): boolean {
  let haveSameMap: (a: object, b: object) => boolean;
  try {
    haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as typeof haveSameMap;
  } catch {
    throw new Error('run the Node specs with --allow-natives-syntax (make test-node does)');
  }
  return haveSameMap(a, b);
}

/** How many of `objects` have another map than the one before (past V8's warm-up). */
const shapeChanges = (objects: readonly object[]): number =>
  objects.slice(20).filter((o, i) => !sameShape(o, objects[19 + i]!)).length;

const RUNS = 300;

describe('objects made per action keep one shape (issue 22)', () => {
  it('actions parsed from take answers', () => {
    const answer = (n: number): HttpResponse => ({
      method: 'POST',
      url: 'http://flyte/v1/packs/p1/actions/take',
      status: 200,
      text: JSON.stringify({
        command: 'Rota',
        input: { n },
        links: [
          {
            href: `/v1/packs/p1/actions/${n}/result`,
            rel: 'http://flyte/swagger#!/action/actionResult',
          },
        ],
      }),
      header: () => null,
    });
    const actions = Array.from({ length: RUNS }, (_, n) => parseAction(answer(n)));
    expect(actions[RUNS - 1]!.id).toBe(String(RUNS - 1));
    expect(shapeChanges(actions)).toBe(0);
  });

  it('delivery reports and their receipts', async () => {
    const pack = registeredPack('p1');
    const deps: DeliveryDeps = {
      api: { completeAction: () => of(undefined), postEvent: () => of(undefined) },
      registration$: new BehaviorSubject(registration(pack)),
    };
    const reports: DeliveryReport[] = [];
    for (let n = 0; n < RUNS; n++) {
      const item: OutboxItem = {
        kind: 'result',
        action: { id: String(n), command: 'Rota', input: {}, resultUrl: `/r/${n}`, links: [] },
        event: { event: 'Done', payload: n, createdAt: '2026-12-07T10:00:00.000Z' },
      };
      reports.push(await lastValueFrom(deliverOne$(item, deps)));
    }
    expect(reports.every((r) => r.end === 'delivered')).toBeTrue();
    expect(shapeChanges(reports)).toBe(0);
    expect(shapeChanges(reports.map((r) => toDeliveryReceipt(r)!))).toBe(0);
  });

  it("handlers' contexts", () => {
    const contexts: HandlerContext[] = [];
    const commands = [
      command({ handler: (_input, context) => (contexts.push(context), ok('done')) }),
    ];
    for (let n = 0; n < RUNS; n++) runAction$(anAction(String(n)), { commands }).subscribe();
    expect(contexts.length).toBe(RUNS);
    expect(shapeChanges(contexts)).toBe(0);
  });

  it('the requests an exchange is given', async () => {
    const requests: ExchangeRequest[] = [];
    const api = new HttpFlyteApi({
      url: 'http://flyte/v1',
      exchange: async (request) => {
        requests.push(request);
        return {
          method: request.method,
          url: request.url,
          status: 204,
          text: '',
          header: () => null,
        };
      },
    });
    for (let n = 0; n < RUNS; n++)
      await lastValueFrom(api.takeAction(registeredPack()), { defaultValue: null });
    expect(requests.length).toBe(RUNS);
    expect(shapeChanges(requests)).toBe(0);
  });
});
