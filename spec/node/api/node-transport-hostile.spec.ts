// Issue 22: answers that break off or lie about their body, over the API that runPack builds.
// Each must fail as a lost answer (a NetworkError) as soon as the connection says so, never
// wait out the body idle timeout (a TimeoutError). The error kind tells the two apart, so no
// spec here measures time; the jasmine timeout is generous so that a stall fails by its kind.
import { firstValueFrom } from 'rxjs';
import type { FlyteApi } from '../../../lib/api/flyte-api.js';
import { isNetworkError, isTimeoutError } from '../../../lib/model/errors.js';
import { silentLogger } from '../../../lib/model/logger.js';
import type { RegisteredPack } from '../../../lib/model/wire-types.js';
import { packOptionsFrom } from '../../../lib/node/run-pack-options.js';
import { errorOf } from '../../support/error-of.js';
import { rawAnswer, rawHttpServer, type RawHttpServer } from './raw-http-server.js';
import { runPackConfig } from './run-pack-config.js';

/** Long enough for a stall to end in the body idle timeout (30 s) rather than the spec's. */
const GENEROUS_MS = 45_000;

/** The API runPack builds for a server at `url`, with no request timeout. */
const runPackApi = (url: string): FlyteApi =>
  packOptionsFrom(runPackConfig(url, { requestTimeout: 0 }), silentLogger).api!;

/** A take answer's body: one action whose result link points back at `url`. */
function actionBody(url: string): string {
  return JSON.stringify({
    command: 'C',
    input: 1,
    links: [{ href: `${url}/r`, rel: `${url}/swagger#/actionResult` }],
  });
}

const packAt = (url: string): RegisteredPack =>
  ({ id: 'P', takeActionUrl: `${url}/take`, eventUrl: `${url}/event` }) as RegisteredPack;

describe('hostile answers over the API runPack builds (Node transport)', () => {
  let server: RawHttpServer | undefined;
  afterEach(async () => server?.close());

  it(
    'fails a take whose body is cut off mid-way (Content-Length larger than sent, socket destroyed) as a lost answer',
    async () => {
      server = await rawHttpServer((_, socket) => {
        socket.write(rawAnswer(200, '', { 'Content-Length': '1000' }) + '{"command":');
        setTimeout(() => socket.destroy(), 20);
      });
      const error = await errorOf(runPackApi(server.url).takeAction(packAt(server.url)));
      expect(isTimeoutError(error)).withContext(String(error)).toBeFalse();
      expect(isNetworkError(error)).withContext(String(error)).toBeTrue();
      expect((error as Error).message).toContain(`POST ${server.url}/take`);
    },
    GENEROUS_MS,
  );

  it(
    'fails a take whose headers came, then silence, then a closed connection, as a lost answer',
    async () => {
      server = await rawHttpServer((_, socket) => {
        socket.write(rawAnswer(200, '', { 'Content-Length': '1000' }));
        setTimeout(() => socket.destroy(), 300);
      });
      const error = await errorOf(runPackApi(server.url).takeAction(packAt(server.url)));
      expect(isTimeoutError(error)).withContext(String(error)).toBeFalse();
      expect(isNetworkError(error)).withContext(String(error)).toBeTrue();
    },
    GENEROUS_MS,
  );

  it(
    'fails a 204 that carries a body, and takes the next action on a fresh connection',
    async () => {
      server = await rawHttpServer((request, socket) => {
        if (request.index === 0) socket.write(rawAnswer(204, 'hello'));
        else socket.write(rawAnswer(200, actionBody(server!.url)));
      });
      const api = runPackApi(server.url);
      const error = await errorOf(api.takeAction(packAt(server.url)));
      expect(isTimeoutError(error)).withContext(String(error)).toBeFalse();
      expect(isNetworkError(error)).withContext(String(error)).toBeTrue();
      expect((error as Error).message).toContain('204');
      const action = await firstValueFrom(api.takeAction(packAt(server.url)));
      expect(action?.command).toBe('C');
      expect(server.requests.map((r) => r.connection)).toEqual([0, 1]);
    },
    GENEROUS_MS,
  );
});
