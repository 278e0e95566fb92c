/**
 * Which command the extra takes of a pack with several commands ask for (flyte's
 * `actionName`), as an immutable value: the commands whose actions were taken lately, each with
 * its per-command takes in flight. A take asks for the one least asked for at the moment (in
 * turn among equals), so takes in flight together ask for different commands where they can,
 * and takes of different commands never race each other over the same oldest action. A
 * per-command take that comes back empty forgets its command until an action of it is taken
 * again. Every function returns a new value: the take policy's state holds it.
 *
 * @example
 * let backlog = commandBacklog(['A', 'B']);
 * backlog = commandTaken(backlog, 'A'); // an action of A came
 * const { command, next } = pickCommand(backlog); // 'A'
 * backlog = commandSent(next, command!);
 * // ... the take answers:
 * backlog = commandLanded(backlog, command!);
 */
export interface CommandBacklog {
  /** The pack's commands; with fewer than two, {@link pickCommand} never picks. */
  readonly commands: readonly string[];
  /** Commands with a backlog, in the order they were found, with their takes in flight. */
  readonly asked: ReadonlyArray<readonly [command: string, inFlight: number]>;
  /** Where the turn among equals starts next. */
  readonly turn: number;
}

/**
 * An empty backlog of `commands`.
 *
 * @param commands - the pack's commands.
 * @returns a backlog that knows of no command's actions yet.
 * @example
 * commandBacklog(['A', 'B']);
 */
export const commandBacklog = (commands: readonly string[]): CommandBacklog => ({
  commands,
  asked: [],
  turn: 0,
});

/**
 * The command to ask for now: the least asked for among those with a backlog, or `undefined`
 * (take without a filter) when none is known or the pack has one command.
 *
 * @param backlog - the backlog.
 * @returns the command (or undefined) and the backlog with the turn moved on.
 * @example
 * pickCommand(backlog).command; // 'B' while a take of A is in flight
 */
export function pickCommand(backlog: CommandBacklog): {
  readonly command?: string;
  readonly next: CommandBacklog;
} {
  const { asked } = backlog;
  if (backlog.commands.length < 2 || asked.length === 0) return { next: backlog };
  const turn = (backlog.turn + 1) % asked.length;
  let best = asked[turn]!;
  for (let i = 1; i < asked.length; i += 1) {
    const candidate = asked[(turn + i) % asked.length]!;
    if (candidate[1] < best[1]) best = candidate;
  }
  return { command: best[0], next: { ...backlog, turn } };
}

const add = (backlog: CommandBacklog, command: string, delta: number): CommandBacklog => ({
  ...backlog,
  asked: backlog.asked.map(([c, n]) => [c, c === command ? Math.max(0, n + delta) : n] as const),
});

/**
 * A take of `command` was sent.
 *
 * @param backlog - the backlog.
 * @param command - what it asked for.
 * @returns the backlog with one more take of it in flight.
 * @example
 * backlog = commandSent(backlog, 'A');
 */
export const commandSent = (backlog: CommandBacklog, command: string): CommandBacklog =>
  add(backlog, command, 1);

/**
 * A take of `command` answered (or was dropped).
 *
 * @param backlog - the backlog.
 * @param command - what it asked for.
 * @returns the backlog with one take of it fewer in flight.
 * @example
 * backlog = commandLanded(backlog, 'A');
 */
export const commandLanded = (backlog: CommandBacklog, command: string): CommandBacklog =>
  add(backlog, command, -1);

/**
 * An action of `command` was taken (by any take): it has a backlog, if the pack declares it.
 *
 * @param backlog - the backlog.
 * @param command - the action's command.
 * @returns the backlog that knows of it.
 * @example
 * backlog = commandTaken(backlog, action.command);
 */
export function commandTaken(backlog: CommandBacklog, command: string): CommandBacklog {
  if (!backlog.commands.includes(command) || backlog.asked.some(([c]) => c === command)) {
    return backlog;
  }
  return { ...backlog, asked: [...backlog.asked, [command, 0]] };
}

/**
 * A take of `command` came back empty: its backlog is done.
 *
 * @param backlog - the backlog.
 * @param command - what it asked for.
 * @returns the backlog without it.
 * @example
 * backlog = commandEmptied(backlog, 'A');
 */
export const commandEmptied = (backlog: CommandBacklog, command: string): CommandBacklog => ({
  ...backlog,
  asked: backlog.asked.filter(([c]) => c !== command),
});
