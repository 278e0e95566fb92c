import { PassThrough } from 'node:stream';
import { isNetworkError, isTimeoutError } from '../../../lib/model/errors.js';
import { readBody, type BodyLimits } from '../../../lib/api/read-body.js';

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
  afterEach(() => jasmine.clock().uninstall());

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
    jasmine.clock().install();
    const body = new PassThrough();
    const abort = jasmine.createSpy('abort');
    let outcome: unknown;
    readBody(responseOf(body), limits({ idleTimeout: 100 }), abort).then(
      (text) => (outcome = text),
      (error: unknown) => (outcome = error),
    );
    for (let i = 0; i < 5; i++) {
      jasmine.clock().tick(90);
      body.write('x');
    }
    await Promise.resolve();
    expect(outcome).toBeUndefined(); // 450 ms in all, no pause over 100 ms
    jasmine.clock().tick(101);
    await new Promise((resolve) => setImmediate(resolve));
    expect(isTimeoutError(outcome)).toBeTrue();
    expect((outcome as Error).message).toContain('stopped arriving for 100 ms (bodyIdleTimeout)');
    expect(abort).toHaveBeenCalledTimes(1);
  });
});
