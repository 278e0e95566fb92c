import {
  commandBacklog,
  type CommandBacklog,
  commandEmptied,
  commandLanded,
  commandSent,
  commandTaken,
  pickCommand,
} from '../../lib/streams/command-backlog.js';

/** A backlog walked step by step, as the take policy walks it. */
function walk(commands: string[]) {
  let backlog: CommandBacklog = commandBacklog(commands);
  return {
    pick: () => {
      const { command, next } = pickCommand(backlog);
      backlog = next;
      return command;
    },
    taken: (c: string) => void (backlog = commandTaken(backlog, c)),
    sent: (c: string) => void (backlog = commandSent(backlog, c)),
    landed: (c: string) => void (backlog = commandLanded(backlog, c)),
    emptied: (c: string) => void (backlog = commandEmptied(backlog, c)),
  };
}

describe('CommandBacklog', () => {
  it('picks nothing until an action of a declared command was taken, nor for a one-command pack', () => {
    const backlog = walk(['A', 'B']);
    expect(backlog.pick()).toBeUndefined();
    backlog.taken('Z'); // not declared: never asked for
    expect(backlog.pick()).toBeUndefined();
    const single = walk(['A']);
    single.taken('A');
    expect(single.pick()).toBeUndefined();
  });

  it('picks the command least asked for at the moment, in turn among equals', () => {
    const backlog = walk(['A', 'B', 'C']);
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
    const backlog = walk(['A', 'B']);
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

  it('never changes the value it is given', () => {
    const before = commandTaken(commandBacklog(['A', 'B']), 'A');
    const copy = JSON.stringify(before);
    commandSent(before, 'A');
    pickCommand(before);
    commandEmptied(before, 'A');
    expect(JSON.stringify(before)).toBe(copy);
  });
});
