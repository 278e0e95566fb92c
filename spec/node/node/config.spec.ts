import { ConfigError, isConfigError } from '../../../lib/model/errors.js';
import { type Env, readConfig } from '../../../lib/node/config.js';

const API = 'http://127.0.0.1:8080';
const TOKEN = 'eyJ.secret-token.sig';

function problemsOf(env: Env): readonly string[] {
  try {
    readConfig(env);
  } catch (e) {
    expect(isConfigError(e)).toBeTrue();
    return (e as ConfigError).problems;
  }
  fail('expected a ConfigError');
  return [];
}

describe('readConfig', () => {
  it('gives the defaults when only FLYTE_API is set', () => {
    expect(readConfig({ FLYTE_API: API })).toEqual({
      url: API,
      token: undefined,
      labels: {},
      requestTimeout: 10_000,
      pollInterval: undefined,
      maxTakesInFlight: undefined,
      burstPolling: undefined,
      healthPort: 8090,
      healthHost: '0.0.0.0',
      logLevel: 'info',
      logFormat: 'auto',
      insecureTls: false,
      v8OptimiseEarly: true,
    });
  });

  it('reads every variable', () => {
    const config = readConfig({
      FLYTE_API: ' https://flyte.example/prefix ',
      FLYTE_JWT: ` ${TOKEN}\n`,
      FLYTE_LABELS: ' env = prod ,team=ops, empty= ',
      FLYTE_API_TIMEOUT: '0',
      FLYTE_POLL_INTERVAL_MS: '750',
      FLYTE_MAX_TAKES_IN_FLIGHT: ' 4 ',
      FLYTE_BURST_POLLING: ' 200, 1.5 ',
      FLYTE_HEALTH_PORT: '9000',
      FLYTE_HEALTH_HOST: '127.0.0.1',
      FLYTE_LOG_LEVEL: 'DEBUG',
      FLYTE_LOG_FORMAT: 'json',
      FLYTE_INSECURE_TLS: 'true',
      FLYTE_V8_OPTIMISE_EARLY: 'false',
    });
    expect(config).toEqual({
      url: 'https://flyte.example/prefix',
      token: TOKEN,
      labels: { env: 'prod', team: 'ops', empty: '' },
      requestTimeout: 0,
      pollInterval: 750,
      maxTakesInFlight: 4,
      burstPolling: { first: 200, factor: 1.5 },
      healthPort: 9000,
      healthHost: '127.0.0.1',
      logLevel: 'debug',
      logFormat: 'json',
      insecureTls: true,
      v8OptimiseEarly: false,
    });
  });

  it('turns burst polling off with FLYTE_BURST_POLLING=off (any case)', () => {
    expect(readConfig({ FLYTE_API: API, FLYTE_BURST_POLLING: ' OFF ' }).burstPolling).toBe(false);
  });

  it('turns recovery of stranded actions on with FLYTE_RECOVER_STRANDED_AFTER seconds, every FLYTE_RECOVER_STRANDED_EVERY (default 300)', () => {
    expect(
      readConfig({ FLYTE_API: API, FLYTE_RECOVER_STRANDED_AFTER: '600' }).recoverStranded,
    ).toEqual({
      after: 600_000,
      every: 300_000,
    });
    const both = {
      FLYTE_API: API,
      FLYTE_RECOVER_STRANDED_AFTER: '5',
      FLYTE_RECOVER_STRANDED_EVERY: '2',
    };
    expect(readConfig(both).recoverStranded).toEqual({ after: 5000, every: 2000 });
  });

  it('leaves recovery off when FLYTE_RECOVER_STRANDED_AFTER is unset, empty or 0 (FLYTE_RECOVER_STRANDED_EVERY alone does nothing)', () => {
    for (const after of [undefined, '', '0']) {
      const env = {
        FLYTE_API: API,
        FLYTE_RECOVER_STRANDED_AFTER: after,
        FLYTE_RECOVER_STRANDED_EVERY: '2',
      };
      expect('recoverStranded' in readConfig(env)).toBeFalse();
    }
  });

  it('turns FLYTE_API_TIMEOUT seconds into milliseconds', () => {
    expect(readConfig({ FLYTE_API: API, FLYTE_API_TIMEOUT: '30' }).requestTimeout).toBe(30_000);
  });

  it('disables the health server with FLYTE_HEALTH_PORT 0 or off', () => {
    expect(readConfig({ FLYTE_API: API, FLYTE_HEALTH_PORT: '0' }).healthPort).toBeNull();
    expect(readConfig({ FLYTE_API: API, FLYTE_HEALTH_PORT: 'OFF' }).healthPort).toBeNull();
  });

  it('accepts IPv6 and host names for FLYTE_HEALTH_HOST, and 1/0 for FLYTE_INSECURE_TLS', () => {
    const env = { FLYTE_API: API, FLYTE_HEALTH_HOST: '::', FLYTE_INSECURE_TLS: '0' };
    expect(readConfig(env).healthHost).toBe('::');
    expect(readConfig(env).insecureTls).toBeFalse();
    expect(readConfig({ FLYTE_API: API, FLYTE_HEALTH_HOST: 'localhost' }).healthHost).toBe(
      'localhost',
    );
  });

  it('treats empty variables as unset', () => {
    const config = readConfig({
      FLYTE_API: API,
      FLYTE_JWT: '',
      FLYTE_LABELS: ' ',
      FLYTE_LOG_LEVEL: '',
    });
    expect(config.token).toBeUndefined();
    expect(config.labels).toEqual({});
    expect(config.logLevel).toBe('info');
  });

  it('lets overrides replace variables and skip their checks', () => {
    const config = readConfig(
      { FLYTE_LABELS: 'broken', FLYTE_HEALTH_PORT: '9000' },
      { url: API, labels: { a: 'b' }, healthPort: 0 },
    );
    expect(config.url).toBe(API);
    expect(config.labels).toEqual({ a: 'b' });
    expect(config.healthPort).toBe(0);
    expect(readConfig({ FLYTE_API: API }, { healthPort: null }).healthPort).toBeNull();
  });

  it('names a missing FLYTE_API', () => {
    expect(problemsOf({})).toEqual([jasmine.stringMatching(/^FLYTE_API is not set; expected/)]);
  });

  const malformed: [string, string, RegExp][] = [
    ['FLYTE_API', 'flyte:8080', /absolute http\(s\) URL/],
    ['FLYTE_API', 'ftp://flyte', /absolute http\(s\) URL/],
    ['FLYTE_API', 'http://flyte?x=1', /without query/],
    ['FLYTE_API', 'not a url', /absolute http\(s\) URL/],
    ['FLYTE_LABELS', 'env=prod,team', /"team" has no "="/],
    ['FLYTE_LABELS', '=prod', /"=prod" has an empty key/],
    ['FLYTE_LABELS', 'a=1, a=2', /key "a" repeats/],
    ['FLYTE_LABELS', 'a=1,,b=2', /"" has no "="/],
    ['FLYTE_LABELS', '__proto__=x', /key "__proto__" is reserved/],
    ['FLYTE_LABELS', 'constructor=x', /key "constructor" is reserved/],
    ['FLYTE_API_TIMEOUT', '-1', /whole number of seconds/],
    ['FLYTE_API_TIMEOUT', '1.5', /whole number of seconds/],
    ['FLYTE_API_TIMEOUT', '10s', /whole number of seconds/],
    ['FLYTE_API_TIMEOUT', '99999999', /from 0 to 2147483/],
    ['FLYTE_POLL_INTERVAL_MS', '0', /whole number of milliseconds from 1/],
    ['FLYTE_POLL_INTERVAL_MS', 'fast', /whole number of milliseconds/],
    ['FLYTE_MAX_TAKES_IN_FLIGHT', '0', /whole number of takes from 1 to 1024/],
    ['FLYTE_MAX_TAKES_IN_FLIGHT', '2.5', /whole number of takes from 1 to 1024/],
    ['FLYTE_MAX_TAKES_IN_FLIGHT', 'many', /whole number of takes/],
    ['FLYTE_MAX_TAKES_IN_FLIGHT', '5000', /from 1 to 1024/],
    ['FLYTE_BURST_POLLING', 'on', /off, or <first>,<factor>/],
    ['FLYTE_BURST_POLLING', '100', /off, or <first>,<factor>/],
    ['FLYTE_BURST_POLLING', '0,1.2', /first wait in whole milliseconds \(>= 1\)/],
    ['FLYTE_BURST_POLLING', '100,1', /a factor > 1/],
    ['FLYTE_BURST_POLLING', '100,-2', /a factor > 1/],
    ['FLYTE_HEALTH_PORT', '65536', /port from 1 to 65535, or 0 or off/],
    ['FLYTE_HEALTH_PORT', 'on', /port from 1 to 65535/],
    ['FLYTE_HEALTH_HOST', 'bad host', /IP address or host name/],
    ['FLYTE_HEALTH_HOST', 'http://x', /IP address or host name/],
    ['FLYTE_LOG_LEVEL', 'verbose', /one of error, warn, info, debug/],
    ['FLYTE_LOG_FORMAT', 'xml', /one of auto, json, pretty/],
    ['FLYTE_INSECURE_TLS', 'yes', /true or false/],
    ['FLYTE_V8_OPTIMISE_EARLY', 'maybe', /true or false/],
    ['FLYTE_RECOVER_STRANDED_AFTER', '-5', /whole number of seconds \(0 = off\) from 0/],
    ['FLYTE_RECOVER_STRANDED_AFTER', '10m', /whole number of seconds \(0 = off\)/],
    ['FLYTE_RECOVER_STRANDED_EVERY', '0', /whole number of seconds from 1/],
    ['FLYTE_RECOVER_STRANDED_EVERY', 'often', /whole number of seconds from 1/],
  ];
  for (const [name, value, expected] of malformed) {
    it(`refuses ${name}=${JSON.stringify(value)}, naming the variable, the value and the form`, () => {
      const env = { FLYTE_API: API, [name]: value };
      const problems = problemsOf(env);
      expect(problems.length).toBe(1);
      expect(problems[0]).toContain(`${name}=${JSON.stringify(value)} is invalid; expected`);
      expect(problems[0]).toMatch(expected);
    });
  }

  it('refuses FLYTE_API with credentials, without repeating them (problems are logged)', () => {
    const problems = problemsOf({ FLYTE_API: 'http://user:hunter2@flyte:8080' });
    expect(problems).toEqual([jasmine.stringMatching(/^FLYTE_API must not carry credentials/)]);
    expect(problems.join()).not.toContain('hunter2');
  });

  it('lists every problem in one error', () => {
    let error: unknown;
    try {
      readConfig({
        FLYTE_LABELS: 'x',
        FLYTE_API_TIMEOUT: 'soon',
        FLYTE_HEALTH_PORT: '-5',
        FLYTE_LOG_LEVEL: 'loud',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems, message } = error as ConfigError;
    const named = [
      'FLYTE_API',
      'FLYTE_LABELS',
      'FLYTE_API_TIMEOUT',
      'FLYTE_HEALTH_PORT',
      'FLYTE_LOG_LEVEL',
    ];
    expect(problems.length).toBe(named.length);
    named.forEach((name, i) => expect(problems[i]).toMatch(new RegExp(`^${name}[ =]`)));
    named.forEach((name) => expect(message).toContain(name));
  });

  it('refuses a token with inner white space without ever showing it', () => {
    const token = 'abc.def ghi';
    const problems = problemsOf({ FLYTE_API: API, FLYTE_JWT: token });
    expect(problems).toEqual([jasmine.stringMatching(/^FLYTE_JWT \(value hidden\) is invalid/)]);
    expect(problems[0]).not.toContain('abc.def');
    expect(problems[0]).not.toContain('ghi');
  });

  it('keeps the token out of the error even when it was pasted into another variable', () => {
    let message = '';
    try {
      readConfig({ FLYTE_API: `http://x/?t=${TOKEN}`, FLYTE_JWT: TOKEN, FLYTE_LABELS: TOKEN });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('FLYTE_API=');
    expect(message).toContain('FLYTE_LABELS=');
    expect(message).not.toContain(TOKEN);
  });
});
