import { LazyAbort } from '../../lib/model/lazy-abort.js';

describe('LazyAbort', () => {
  it('gives one signal, not aborted, until aborted; the listeners then hear the reason', () => {
    const abort = new LazyAbort();
    const signal = abort.signal;
    expect(abort.signal).toBe(signal);
    expect(signal.aborted).toBeFalse();
    const heard: unknown[] = [];
    signal.addEventListener('abort', () => heard.push(signal.reason));
    const why = new Error('timed out');
    abort.abort(why);
    expect(heard).toEqual([why]);
  });

  it('gives an aborted signal, with the reason, when first read after the abort', () => {
    const abort = new LazyAbort();
    const why = new Error('cancelled');
    abort.abort(why);
    abort.abort(new Error('later'));
    expect(abort.signal.aborted).toBeTrue();
    expect(abort.signal.reason).toBe(why);
  });
});
