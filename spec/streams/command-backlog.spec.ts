import { CommandBacklog } from '../../lib/streams/command-backlog.js';

describe('CommandBacklog', () => {
  it('picks nothing until an action of a declared command was taken, nor for a one-command pack', () => {
    const backlog = new CommandBacklog(['A', 'B']);
    expect(backlog.pick()).toBeUndefined();
    backlog.taken('Z'); // not declared: never asked for
    expect(backlog.pick()).toBeUndefined();
    const single = new CommandBacklog(['A']);
    single.taken('A');
    expect(single.pick()).toBeUndefined();
  });

  it('picks the command least asked for at the moment, in turn among equals', () => {
    const backlog = new CommandBacklog(['A', 'B', 'C']);
    backlog.taken('A');
    backlog.taken('B');
    const first = backlog.pick()!;
    backlog.sent(first);
    const second = backlog.pick()!;
    expect([first, second].sort()).toEqual(['A', 'B']); // never the same twice in flight
    backlog.sent(second);
    backlog.landed(first);
    expect(backlog.pick()).toBe(first); // the one no longer in flight
    backlog.landed(second);
    const turns = [backlog.pick(), backlog.pick()];
    expect(turns.sort()).toEqual(['A', 'B']); // equals take turns
  });

  it('forgets a command whose take came back empty, until an action of it is taken again', () => {
    const backlog = new CommandBacklog(['A', 'B']);
    backlog.taken('A');
    backlog.taken('B');
    backlog.sent('A');
    backlog.sent('A');
    backlog.emptied('A');
    backlog.landed('A');
    backlog.landed('A'); // takes of a forgotten command land without bringing it back
    expect([backlog.pick(), backlog.pick(), backlog.pick()]).toEqual(['B', 'B', 'B']);
    backlog.taken('A');
    backlog.sent('B');
    expect(backlog.pick()).toBe('A');
  });
});
