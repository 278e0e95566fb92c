/**
 * Which command the extra takes of a pack with several commands ask for (flyte's
 * `actionName`): the commands whose actions were taken lately, each with its per-command
 * takes in flight. A take asks for the one least asked for at the moment (in turn among
 * equals), so takes in flight together ask for different commands where they can, and takes
 * of different commands never race each other over the same oldest action. A per-command take
 * that comes back empty forgets its command until an action of it is taken again.
 *
 * @example
 * const backlog = new CommandBacklog(['A', 'B']);
 * backlog.taken('A'); // an action of A came
 * const command = backlog.pick(); // 'A'
 * backlog.sent(command!);
 * // ... the take answers:
 * backlog.landed(command!);
 */
export class CommandBacklog {
  /** Commands with a backlog, with their per-command takes in flight. */
  private readonly asked = new Map<string, number>();
  private turn = 0;

  /** @param commands - the pack's commands; with fewer than two, {@link pick} never picks. */
  constructor(private readonly commands: readonly string[]) {}

  /**
   * The command to ask for now: the least asked for among those with a backlog, or
   * `undefined` (take without a filter) when none is known or the pack has one command.
   *
   * @returns the command, or undefined.
   * @example
   * backlog.pick(); // 'B' while a take of A is in flight
   */
  pick(): string | undefined {
    if (this.commands.length < 2 || this.asked.size === 0) return undefined;
    const known = [...this.asked.keys()];
    this.turn = (this.turn + 1) % known.length;
    const rotated = [...known.slice(this.turn), ...known.slice(0, this.turn)];
    return rotated.reduce((a, b) => (this.asked.get(b)! < this.asked.get(a)! ? b : a));
  }

  /**
   * A take of `command` was sent.
   *
   * @param command - what it asked for.
   * @example
   * backlog.sent('A');
   */
  sent(command: string): void {
    if (this.asked.has(command)) this.asked.set(command, this.asked.get(command)! + 1);
  }

  /**
   * A take of `command` answered (or was dropped).
   *
   * @param command - what it asked for.
   * @example
   * backlog.landed('A');
   */
  landed(command: string): void {
    const n = this.asked.get(command);
    if (n !== undefined) this.asked.set(command, Math.max(0, n - 1));
  }

  /**
   * An action of `command` was taken (by any take): it has a backlog, if the pack declares it.
   *
   * @param command - the action's command.
   * @example
   * backlog.taken(action.command);
   */
  taken(command: string): void {
    if (this.commands.includes(command) && !this.asked.has(command)) this.asked.set(command, 0);
  }

  /**
   * A take of `command` came back empty: its backlog is done.
   *
   * @param command - what it asked for.
   * @example
   * backlog.emptied('A');
   */
  emptied(command: string): void {
    this.asked.delete(command);
  }
}
