import { EventEmitter } from 'node:events';
import { exitCodeOf, onShutdownSignals } from '../../../lib/node/signals.js';

describe('onShutdownSignals', () => {
  it('calls first on the first signal and again on every later one, whichever they are', () => {
    const source = new EventEmitter();
    const seen: string[] = [];
    onShutdownSignals(
      { first: (s) => seen.push(`first ${s}`), again: (s) => seen.push(`again ${s}`) },
      undefined,
      source,
    );
    source.emit('SIGHUP');
    source.emit('SIGTERM');
    source.emit('SIGINT');
    expect(seen).toEqual(['first SIGHUP', 'again SIGTERM', 'again SIGINT']);
  });

  it('listens only to the signals given, until released', () => {
    const source = new EventEmitter();
    const first = jasmine.createSpy('first');
    const release = onShutdownSignals({ first, again: () => undefined }, ['SIGUSR2'], source);
    source.emit('SIGTERM');
    expect(first).not.toHaveBeenCalled();
    expect(source.listenerCount('SIGUSR2')).toBe(1);
    release();
    expect(source.listenerCount('SIGUSR2')).toBe(0);
    source.emit('SIGUSR2');
    expect(first).not.toHaveBeenCalled();
  });
});

describe('exitCodeOf', () => {
  it('is 128 plus the signal number', () => {
    expect([exitCodeOf('SIGHUP'), exitCodeOf('SIGINT'), exitCodeOf('SIGTERM')]).toEqual([
      129, 130, 143,
    ]);
  });
});
