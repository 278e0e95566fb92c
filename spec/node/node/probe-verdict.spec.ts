import type { Health, HealthCheck } from '../../../lib/node/health-check.js';
import {
  answerKindOf,
  countsFor,
  type HealthAnswerKind,
  probeVerdict,
} from '../../../lib/node/probe-verdict.js';

const up: Health = { healthy: true, status: 'up' };
const down: Health = { healthy: false, status: 'down' };

describe('answerKindOf', () => {
  const cases: Array<[string, HealthAnswerKind | undefined]> = [
    ['/', 'health'],
    ['/health', 'health'],
    ['/livez', 'liveness'],
    ['/readyz', 'readiness'],
    ['/metrics', undefined],
    ['/toString', undefined], // no prototype key is a path
    ['/livez/', undefined],
  ];
  for (const [path, kind] of cases) {
    it(`${path} → ${kind}`, () => expect(answerKindOf(path)).toBe(kind));
  }
});

describe('countsFor', () => {
  const cases: Array<[HealthAnswerKind, HealthCheck['probes'], boolean]> = [
    ['health', [], true],
    ['health', ['liveness'], true],
    ['readiness', undefined, true], // a check that does not say is a readiness check
    ['liveness', undefined, false],
    ['liveness', ['liveness', 'readiness'], true],
    ['readiness', ['liveness'], false],
    ['readiness', [], false],
  ];
  for (const [kind, probes, counts] of cases) {
    it(`${kind}, probes ${JSON.stringify(probes)} → ${counts}`, () =>
      expect(countsFor(kind, { probes })).toBe(counts));
  }
});

describe('probeVerdict', () => {
  const cases: Array<[HealthAnswerKind, Array<[boolean | undefined, Health]>, number]> = [
    ['health', [[undefined, up]], 200],
    ['health', [[undefined, down]], 500], // the Go client's answer
    [
      'health',
      [
        [false, down],
        [true, up],
      ],
      200,
    ], // a non-critical failure is shown, not counted
    ['liveness', [[undefined, down]], 503],
    [
      'readiness',
      [
        [undefined, up],
        [undefined, down],
      ],
      503,
    ],
    ['readiness', [], 200],
  ];
  for (const [kind, checks, code] of cases) {
    it(`${kind} with ${JSON.stringify(checks.map(([c, h]) => [c, h.healthy]))} → ${code}`, () => {
      const outcomes = checks.map(([critical, health], i) => ({
        check: { name: `C${i}`, ...(critical !== undefined && { critical }) },
        health,
      }));
      const verdict = probeVerdict(kind, outcomes);
      expect(verdict.code).toBe(code);
      expect(verdict.healthy).toBe(code === 200);
      expect(verdict.report).toEqual(Object.fromEntries(checks.map(([, h], i) => [`C${i}`, h])));
    });
  }
});
