// The fake server's request log: entries added and updated in place, read as snapshots.
import { RequestLog } from '../../../lib/testing/fake-request-log.js';

describe('RequestLog', () => {
  const fields = (path: string) => ({
    method: 'POST',
    path,
    query: {},
    hasAuthorization: false,
    authorization: 'unchecked' as const,
    at: '2026-01-01T00:00:00.000Z',
  });

  it('numbers entries from 1, oldest first, each with status null until updated', () => {
    const log = new RequestLog(() => undefined);
    const first = log.start(fields('/a'));
    log.start(fields('/b'));
    first({ status: 202, actionId: '7' });
    expect(log.list().map((e) => [e.seq, e.path, e.status, e.actionId])).toEqual([
      [1, '/a', 202, '7'],
      [2, '/b', null, undefined],
    ]);
  });

  it('hands out snapshots: a list read earlier keeps its entries through later starts and updates', () => {
    const log = new RequestLog(() => undefined);
    const update = log.start(fields('/a'));
    const before = log.list();
    const entry = before[0];
    update({ status: 500, race: true });
    log.start(fields('/b'));
    expect(before).toHaveSize(1);
    expect(before[0]).toBe(entry!);
    expect(entry?.status).toBeNull();
    expect(log.list().map((e) => e.status)).toEqual([500, null]);
  });

  it('reads the same list twice without a change in between', () => {
    const log = new RequestLog(() => undefined);
    log.start(fields('/a'));
    expect(log.list()).toBe(log.list());
  });

  it('updates the right entry among thousands, and tells of each change', () => {
    let changes = 0;
    const log = new RequestLog(() => changes++);
    const updates = Array.from({ length: 5000 }, (_, i) => log.start(fields(`/${i}`)));
    updates[4321]!({ status: 204 });
    const list = log.list();
    expect(list.filter((e) => e.status !== null).map((e) => e.path)).toEqual(['/4321']);
    expect(changes).toBe(5001);
  });

  it('after clear, an update of an entry from before changes nothing; numbering goes on', () => {
    let changes = 0;
    const log = new RequestLog(() => changes++);
    const old = log.start(fields('/old'));
    log.clear();
    log.start(fields('/new'));
    const seen = changes;
    old({ status: 200 });
    expect(changes).toBe(seen);
    expect(log.list().map((e) => [e.seq, e.path, e.status])).toEqual([[2, '/new', null]]);
  });

  it('after(seq): the entries numbered above seq only, all of them for 0, none past the last', () => {
    const log = new RequestLog(() => undefined);
    for (const path of ['/a', '/b', '/c']) log.start(fields(path));
    expect(log.after(0).map((e) => e.path)).toEqual(['/a', '/b', '/c']);
    expect(log.after(2).map((e) => e.path)).toEqual(['/c']);
    expect(log.after(3)).toEqual([]);
    log.clear();
    log.start(fields('/d'));
    // Numbers before the log's first entry are gone: the tail is the whole log.
    expect(log.after(1).map((e) => [e.seq, e.path])).toEqual([[4, '/d']]);
    expect(log.after(4)).toEqual([]);
  });
});
