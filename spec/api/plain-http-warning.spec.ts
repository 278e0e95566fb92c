// Issue 21, finding 8: a bearer token sent over plain http to another machine can be read on
// the way; the pack says so once, at construction, without the token.
import { HttpFlyteApi } from '../../lib/api/http-flyte-api.js';
import { plainHttpWarning } from '../../lib/api/plain-http-warning.js';
import type { Logger } from '../../lib/model/logger.js';

const TOKEN = 'eyJ.plain.http';

describe('plainHttpWarning (the policy)', () => {
  const warns: Array<[string, string | (() => string)]> = [
    ['http://flyte.flyte.svc.cluster.local:8080', TOKEN],
    ['http://10.0.0.7:8080/flyte', () => TOKEN], // a provider's tokens too
    ['http://localhost.example.com', TOKEN],
  ];
  for (const [url, token] of warns) {
    it(`${url}, token ${typeof token === 'function' ? 'provider' : 'string'} → warns`, () => {
      const warning = plainHttpWarning(url, token);
      expect(warning).toContain(new URL(url).host);
      expect(warning).toContain('https');
      expect(warning).not.toContain(TOKEN);
    });
  }
  const quiet: Array<[string, string | undefined]> = [
    ['https://flyte.example', TOKEN],
    ['http://flyte.example', undefined], // no token, nothing to read
    ['http://flyte.example', ''],
    ['http://localhost:8080', TOKEN], // loopback never leaves the machine
    ['http://127.0.0.1:8080', TOKEN],
    ['http://127.8.9.10', TOKEN],
    ['http://[::1]:8080', TOKEN],
    ['http://api.localhost', TOKEN],
    ['not a url', TOKEN], // refused elsewhere, with its own message
  ];
  for (const [url, token] of quiet) {
    it(`${url}, token ${JSON.stringify(token)} → quiet`, () => {
      expect(plainHttpWarning(url, token)).toBeUndefined();
    });
  }
});

describe('HttpFlyteApi over plain http with a token', () => {
  const recorder = () => {
    const warnings: unknown[][] = [];
    const logger: Logger = {
      error: () => undefined,
      warn: (...args) => void warnings.push(args),
      info: () => undefined,
      debug: () => undefined,
    };
    return { logger, warnings };
  };

  it('warns once at construction, naming the host and never the token', () => {
    const { logger, warnings } = recorder();
    new HttpFlyteApi({ url: 'http://flyte.internal:8080', token: TOKEN, logger });
    expect(warnings.length).toBe(1);
    expect(String(warnings[0]![0])).toContain('flyte.internal:8080');
    expect(JSON.stringify(warnings)).not.toContain(TOKEN);
  });

  it('says nothing over https or to the loopback', () => {
    const { logger, warnings } = recorder();
    new HttpFlyteApi({ url: 'https://flyte.internal', token: TOKEN, logger });
    new HttpFlyteApi({ url: 'http://127.0.0.1:8080', token: TOKEN, logger });
    expect(warnings).toEqual([]);
  });
});
