import type { HandlerFn } from '../../lib/model/definitions.js';
import type { FatalPayload } from '../../lib/model/fatal-payload.js';
import { hostileValues } from '../streams/hostile-values.js';
import { packRig, rotaPack, rotaRetrieved } from './pack-fixtures.js';

describe('Pack: a handler whose returned value throws when inspected (finding 10)', () => {
  for (const [what, hostile, message] of hostileValues) {
    it(`answers that action FATAL and keeps taking: ${what}`, () => {
      const handler = ((input: { i: number }) =>
        input.i === 0
          ? hostile()
          : { eventDef: rotaRetrieved, payload: `Ann ${input.i}` }) as unknown as HandlerFn;
      const { scheduler, pack, model, enqueue } = packRig(() => rotaPack(handler));
      scheduler.run(() => {
        enqueue(0, { i: 0 });
        enqueue(10_000, { i: 1 });
        enqueue(20_000, { i: 2 });
        void pack.start();
        scheduler.schedule(() => void pack.stop(), 60_000);
      });
      const ends = model.actions().map((a) => {
        const payload = a.result?.payload as FatalPayload | string | undefined;
        return [a.state, typeof payload === 'object' ? payload.error?.message : payload];
      });
      expect(ends).toEqual([
        ['FATAL', message],
        ['SUCCESS', 'Ann 1'],
        ['SUCCESS', 'Ann 2'],
      ]);
    });
  }
});
