import type { Logger } from '../../lib/model/logger.js';
import { safeLogger } from '../../lib/pack/safe-logger.js';
import { packRig, rotaPack, rotaRetrieved } from './pack-fixtures.js';

describe('safeLogger', () => {
  it('passes every entry on as it was given, and swallows what the logger throws', () => {
    const inner = jasmine.createSpyObj<Logger>('logger', ['error', 'warn', 'info', 'debug']);
    inner.warn.and.throwError('transport down');
    const logger = safeLogger(inner);
    expect(() => logger.warn('w', { a: 1 })).not.toThrow();
    logger.info('i');
    logger.error('e', { b: 2 });
    logger.debug('d');
    expect(inner.warn.calls.allArgs()).toEqual([['w', { a: 1 }]]);
    expect(inner.info.calls.allArgs()).toEqual([['i']]);
    expect(inner.error.calls.allArgs()).toEqual([['e', { b: 2 }]]);
    expect(inner.debug.calls.allArgs()).toEqual([['d']]);
  });

  it('keeps a pack taking actions when its logger throws (the take loop logs a failed take)', () => {
    const { scheduler, api, pack, logger, enqueue, model } = packRig(
      () => rotaPack(() => ({ eventDef: rotaRetrieved, payload: 'Ann' })),
      { polling: { interval: 1000 } },
    );
    logger.warn.and.throwError('logger down');
    api.failNext('take', 502); // a failed take (a bare 500 would be a take race)
    scheduler.run(() => {
      enqueue(100);
      void pack.start();
      scheduler.schedule(() => void pack.stop(), 5000);
    });
    expect(logger.warn).toHaveBeenCalled();
    expect(model.actions().map((a) => a.state)).toEqual(['SUCCESS']);
  });
});
