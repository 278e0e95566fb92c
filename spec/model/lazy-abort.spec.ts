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

describe('LazyAbort listeners', () => {
  it('runs each listener once at the abort, without making a signal', () => {
    const abort = new LazyAbort();
    const controllers = spyOn(globalThis, 'AbortController').and.callThrough();
    const heard: string[] = [];
    abort.onAbort(() => heard.push('first'));
    const remove = abort.onAbort(() => heard.push('removed'));
    abort.onAbort(() => heard.push('last'));
    remove();
    expect(abort.aborted).toBeFalse();
    abort.abort(new Error('stop'));
    abort.abort(new Error('again'));
    expect(heard).toEqual(['first', 'last']);
    expect(abort.aborted).toBeTrue();
    expect(controllers).not.toHaveBeenCalled();
  });

  it('runs a listener added after the abort at once', () => {
    const abort = new LazyAbort();
    abort.abort(new Error('stop'));
    const heard: string[] = [];
    abort.onAbort(() => heard.push('late'));
    expect(heard).toEqual(['late']);
  });

  it('aborts the signal read before, after the listeners', () => {
    const abort = new LazyAbort();
    const order: string[] = [];
    abort.signal.addEventListener('abort', () => order.push('signal'));
    abort.onAbort(() => order.push('listener'));
    abort.abort(new Error('stop'));
    expect(order).toEqual(['listener', 'signal']);
  });
});
