import { finalize, of } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { unlessInterrupted } from '../../lib/streams/unless-interrupted.js';

describe('unlessInterrupted', () => {
  let scheduler: TestScheduler;
  beforeEach(() => (scheduler = new TestScheduler((a, e) => expect(a).toEqual(e))));

  it("passes the source's notifications on once it emits first, and drops the interruption", () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('--a--b|');
      const interrupt = cold('---x');
      expectObservable(unlessInterrupted(source, interrupt, () => 'i')).toBe('--a--b|');
      expectSubscriptions(interrupt.subscriptions).toBe('^-!');
    });
  });

  it('emits the interruption and ends when the interruption comes first, unsubscribing the source', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-----a|');
      expectObservable(unlessInterrupted(source, cold('--x'), () => 'i')).toBe('--(i|)');
      expectSubscriptions(source.subscriptions).toBe('^-!');
    });
  });

  it('computes the interruption before the source is torn down, so the teardown can read why', () => {
    let why = '';
    const seen: string[] = [];
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('-----a|').pipe(finalize(() => seen.push(`torn down: ${why}`)));
      const interrupted = unlessInterrupted(source, cold('--x'), () => ((why = 'timeout'), why));
      expectObservable(interrupted).toBe('--(t|)', { t: 'timeout' });
    });
    expect(seen).toEqual(['torn down: timeout']);
  });

  it('is not interrupted by an interruption that ends without a value', () => {
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(unlessInterrupted(cold('----a|'), cold('--|'), () => 'i')).toBe('----a|');
    });
  });

  it('errors with the source, or with the interruption when it errors first', () => {
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(unlessInterrupted(cold('--#'), cold('----x'), () => 'i')).toBe('--#');
      expectObservable(unlessInterrupted(cold('----a'), cold('--#'), () => 'i')).toBe('--#');
    });
  });

  it('never subscribes the source when the interruption comes at once', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('--a|');
      expectObservable(unlessInterrupted(source, of('x'), () => 'i')).toBe('(i|)');
      expectSubscriptions(source.subscriptions).toBe([]);
    });
  });
});
