import { parseAuditFlow, parseAuditFlows } from '../../lib/api/parse-audit.js';
import type { HttpResponse } from '../../lib/api/request.js';
import { InvalidResponseError } from '../../lib/model/errors.js';
import { auditSearchParams } from '../../lib/model/audit.js';

const URL_ = 'http://flyte/v1/audit/flows?actionPackName=Slack';
const res = (body: unknown): HttpResponse => ({
  method: 'GET',
  url: URL_,
  status: 200,
  header: () => null,
  text: typeof body === 'string' ? body : JSON.stringify(body),
});
const action = (more: Record<string, unknown> = {}) => ({
  id: 'a1',
  name: 'Send',
  packName: 'Slack',
  input: { to: 'ann' },
  state: { value: 'PENDING', time: '2024-05-01T10:00:00Z' },
  states: [
    { value: 'NEW', time: '2024-05-01T09:59:00Z' },
    { value: 'PENDING', time: '2024-05-01T10:00:00Z' },
  ],
  correlationId: 'c1',
  flowName: 'f',
  ...more,
});

describe('parsing the audit', () => {
  it("reads flows in the server's shape: actions by step id, state and states", () => {
    const flows = parseAuditFlows(
      res({
        flows: [
          {
            name: 'f',
            uuid: 'u',
            correlationId: 'c1',
            steps: [],
            actions: { s1: action() },
            links: [],
          },
        ],
        links: [],
      }),
    );
    expect(flows).toEqual([
      {
        name: 'f',
        correlationId: 'c1',
        actions: [
          {
            id: 'a1',
            command: 'Send',
            packName: 'Slack',
            packLabels: {},
            input: { to: 'ann' },
            state: { value: 'PENDING', time: '2024-05-01T10:00:00Z' },
            states: [
              { value: 'NEW', time: '2024-05-01T09:59:00Z' },
              { value: 'PENDING', time: '2024-05-01T10:00:00Z' },
            ],
            correlationId: 'c1',
            stepId: 's1',
          },
        ],
      },
    ]);
    expect(parseAuditFlows(res({ flows: null, links: [] }))).toEqual([]);
    expect(parseAuditFlow(res({ correlationId: 'c1', actions: null })).actions).toEqual([]);
  });

  const malformed: [string, unknown, string][] = [
    ['flows not an array', { flows: {} }, '"flows" must be an array, got an object'],
    [
      'a flow without correlationId',
      { flows: [{ actions: {} }] },
      '"flows[0].correlationId" must be a non-empty string, got nothing',
    ],
    [
      'actions not an object',
      { flows: [{ correlationId: 'c', actions: [] }] },
      '"flows[0].actions" must be an object, got an array',
    ],
    [
      'an action without id',
      { flows: [{ correlationId: 'c', actions: { s: action({ id: 3 }) } }] },
      '"flows[0].actions.s.id" must be a non-empty string, got a number',
    ],
    [
      'a state without time',
      { flows: [{ correlationId: 'c', actions: { s: action({ state: { value: 'PENDING' } }) } }] },
      '"flows[0].actions.s.state.time" must be a non-empty string, got nothing',
    ],
    [
      'a time that is no time',
      {
        flows: [
          {
            correlationId: 'c',
            actions: { s: action({ state: { value: 'PENDING', time: 'soon' } }) },
          },
        ],
      },
      '"flows[0].actions.s.state.time" is not a time: "soon"',
    ],
    [
      'states not an array',
      { flows: [{ correlationId: 'c', actions: { s: action({ states: 1 }) } }] },
      '"flows[0].actions.s.states" must be an array, got a number',
    ],
  ];
  for (const [what, body, problem] of malformed) {
    it(`refuses ${what}, naming the URL and the field`, () => {
      let error: unknown;
      try {
        parseAuditFlows(res(body));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InvalidResponseError);
      expect((error as Error).message).toBe(
        `GET ${URL_} answered 200 with an invalid body: ${problem}`,
      );
    });
  }

  it('builds the query the server reads (labels as k:v,k:v)', () => {
    const params = auditSearchParams({
      actionPackName: 'Slack',
      actionPackLabels: { env: 'prod', team: 'ops' },
      actionName: 'Send',
      start: 50,
      limit: 50,
    });
    expect(params.toString()).toBe(
      'actionPackName=Slack&actionPackLabels=env%3Aprod%2Cteam%3Aops&actionName=Send&start=50&limit=50',
    );
    expect(auditSearchParams({}).toString()).toBe('');
  });
});
