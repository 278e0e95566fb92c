import { PassThrough } from 'node:stream';
import { isNetworkError, isTimeoutError } from '../../../lib/model/errors.js';
import { readBody, type BodyLimits, type BodyTimers } from '../../../lib/api/read-body.js';

/**
 * Timers in virtual time for readBody alone. Not jasmine.clock(): that replaces the process's
 * global timers while the spec awaits, so a timer other code (an RxJS scheduler, an HTTP
 * agent) arms or clears meanwhile goes to the mock, and a real one left behind fires later
 * on a cancelled action, an uncaught error in whichever spec runs then.
 */
function virtualTimers(): BodyTimers & { tick(ms: number): void } {
  let now = 0;
  const due = new Map<object, { at: number; fn: () => void }>();
  return {
    setTimeout: (fn, ms) => {
      const handle = {};
      due.set(handle, { at: now + ms, fn });
      return handle;
    },
    clearTimeout: (handle) => void due.delete(handle as object),
    tick: (ms) => {
      now += ms;
      for (const [handle, timer] of [...due]) {
        if (timer.at > now || !due.delete(handle)) continue;
        timer.fn();
      }
    },
  };
}

const limits = (more: Partial<BodyLimits> = {}): BodyLimits => ({
  method: 'GET',
  url: 'http://127.0.0.1:1/v1',
  maxBytes: 0,
  idleTimeout: 0,
  ...more,
});

/** A response whose body is a Node stream, as node-fetch 2 gives it. */
const responseOf = (body: PassThrough) => ({
  headers: { get: () => null },
  body,
  text: () => Promise.reject(new Error('text() must not be used for a Node stream')),
});

describe('readBody of a Node stream (node-fetch 2)', () => {
  it('joins the chunks, a character split between two of them included', async () => {
    const body = new PassThrough();
    const text = readBody(responseOf(body), limits(), () => undefined);
    const bytes = Buffer.from('{"who":"Zoë"}');
    body.write(bytes.subarray(0, 10)); // ends inside the two bytes of "ë"
    body.end(bytes.subarray(10));
    expect(await text).toBe('{"who":"Zoë"}');
  });

  it('fails when the stream closes before its end (a body cut off mid-way)', async () => {
    const body = new PassThrough();
    const text = readBody(responseOf(body), limits(), () => undefined);
    body.write('{"who":');
    body.destroy();
    await expectAsync(text).toBeRejectedWithError(/premature close/i);
  });

  it('stops at the cap, aborts, and ignores the error the abort then raises on the stream', async () => {
    const body = new PassThrough();
    const abort = jasmine
      .createSpy('abort')
      .and.callFake(() => body.emit('error', new Error('aborted')));
    const text = readBody(responseOf(body), limits({ maxBytes: 4 }), abort);
    body.write('12345');
    const error: unknown = await text.catch((e: unknown) => e);
    expect(isNetworkError(error)).toBeTrue();
    expect((error as Error).message).toContain('over the limit of 4 bytes');
    expect(abort).toHaveBeenCalledTimes(1);
    expect(body.destroyed).toBeTrue();
  });

  it('gives up only after a pause longer than the idle timeout, not a long body that keeps coming', async () => {
    const clock = virtualTimers();
    const body = new PassThrough();
    const abort = jasmine.createSpy('abort');
    let outcome: unknown;
    readBody(responseOf(body), limits({ idleTimeout: 100 }), abort, clock).then(
      (text) => (outcome = text),
      (error: unknown) => (outcome = error),
    );
    for (let i = 0; i < 5; i++) {
      clock.tick(90);
      body.write('x');
    }
    await Promise.resolve();
    expect(outcome).toBeUndefined(); // 450 ms in all, no pause over 100 ms
    clock.tick(101);
    await new Promise((resolve) => setImmediate(resolve));
    expect(isTimeoutError(outcome)).toBeTrue();
    expect((outcome as Error).message).toContain('stopped arriving for 100 ms (bodyIdleTimeout)');
    expect(abort).toHaveBeenCalledTimes(1);
  });
});
