import { constants } from 'node:os';

/** The signals a pack process stops on by default. */
export const SHUTDOWN_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];

/**
 * Where signals come from: `process`, or an `EventEmitter` in tests.
 *
 * @example
 * const source: SignalSource = process;
 */
export interface SignalSource {
  /** Adds a listener of `signal`. */
  on(signal: NodeJS.Signals, listener: () => void): unknown;
  /** Removes a listener of `signal`. */
  off(signal: NodeJS.Signals, listener: () => void): unknown;
}

/**
 * What to do on the first shutdown signal and on any later one.
 *
 * @example
 * const reactions: ShutdownReactions = { first: () => void stop(), again: (s) => process.exit(exitCodeOf(s)) };
 */
export interface ShutdownReactions {
  /** The first signal: stop gracefully. */
  first(signal: NodeJS.Signals): void;
  /** Any later signal: the operator insists; exit at once. */
  again(signal: NodeJS.Signals): void;
}

/**
 * Listens for shutdown signals: the first one calls `first`, every later one `again`.
 * Listening replaces Node's default of dying at once on these signals.
 *
 * @param reactions - what to do on the first and on later signals.
 * @param signals - the signals to listen for. @default SIGTERM, SIGINT, SIGHUP
 * @param source - where the signals come from. @default process
 * @returns a function that stops listening.
 * @example
 * const release = onShutdownSignals({ first: () => void shutDown(), again: (s) => process.exit(exitCodeOf(s)) });
 */
export function onShutdownSignals(
  reactions: ShutdownReactions,
  signals: readonly NodeJS.Signals[] = SHUTDOWN_SIGNALS,
  source: SignalSource = process,
): () => void {
  let received = false;
  const listeners = signals.map((signal) => {
    const listener = (): void => {
      if (received) return reactions.again(signal);
      received = true;
      reactions.first(signal);
    };
    source.on(signal, listener);
    return () => source.off(signal, listener);
  });
  return () => listeners.forEach((off) => off());
}

/**
 * The conventional exit code of a process ended by a signal: 128 plus its number.
 *
 * @param signal - the signal.
 * @returns e.g. 143 for SIGTERM, 130 for SIGINT; 1 for a signal this platform lacks.
 * @example
 * exitCodeOf('SIGTERM'); // 143
 */
export function exitCodeOf(signal: NodeJS.Signals): number {
  const n = constants.signals[signal] as number | undefined;
  return n === undefined ? 1 : 128 + n;
}
