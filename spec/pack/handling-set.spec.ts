import { HandlingSet } from '../../lib/pack/handling-set.js';

describe('HandlingSet', () => {
  it('holds an action from take (or recovery) until settled, and after that for scans that started before', () => {
    const handling = new HandlingSet(1000);
    handling.add('a');
    expect(handling.isHandling('a', 0)).toBeTrue();
    expect(handling.isHandling('b', 0)).toBeFalse();
    handling.settle('a', 500);
    expect(handling.size).toBe(0);
    // a scan that started at 400 may have read a page from before the delivery: leave it alone
    expect(handling.isHandling('a', 400)).toBeTrue();
    // a scan that started after the delivery reads the action's real state
    expect(handling.isHandling('a', 501)).toBeFalse();
  });

  it('forgets settled actions after `keep`, counting only those in flight', () => {
    const handling = new HandlingSet(1000);
    handling.add('a');
    handling.add('b');
    handling.settle('a', 0);
    handling.add('c');
    handling.settle('c', 2000); // forgets a (settled more than 1000 ago)
    expect(handling.isHandling('a', -1)).toBeFalse();
    expect(handling.isHandling('b', 5000)).toBeTrue();
    expect(handling.size).toBe(1);
    handling.settle('unknown', 2000);
    expect(handling.isHandling('unknown', 0)).toBeFalse();
  });
});
