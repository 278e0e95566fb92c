// Everything an entry point exports is a promise to keep: these lists change only on purpose.
import * as core from '../lib/index.js';
import * as streams from '../lib/streams/index.js';
import * as testing from '../lib/testing/index.js';

describe('the entry points', () => {
  it("flyte-client exports the pack author's surface and nothing internal", () => {
    expect(Object.keys(core).sort()).toEqual(
      [
        'Pack',
        'OutboxFullError',
        'validatePackDef',
        'defineEvent',
        'defineCommand',
        'definePack',
        'FATAL',
        'FATAL_EVENT_DEF',
        'FATAL_EVENT', // deprecated alias of FATAL_EVENT_DEF
        'fatalEvent',
        'HttpFlyteApi',
        'consoleLogger',
        'silentLogger',
        'withMeta',
        'FlyteError',
        'HttpError',
        'PackNotFoundError',
        'UnauthorizedError',
        'NetworkError',
        'TimeoutError',
        'InvalidResponseError',
        'LinkNotFoundError',
        'PackDefinitionError',
        'DeliveryError',
        'InferredDeliveryError',
        'ConfigError',
        'UndeclaredEventError',
        'isFlyteError',
        'isHttpError',
        'isPackNotFoundError',
        'isUnauthorizedError',
        'isNetworkError',
        'isOutboxFullError',
        'isTimeoutError',
        'isInvalidResponseError',
        'isLinkNotFoundError',
        'isPackDefinitionError',
        'isDeliveryError',
        'isInferredDeliveryError',
        'isConfigError',
        'RecoveredElsewhereError',
        'isRecoveredElsewhereError',
        'isUndeclaredEventError',
        'toPackError',
      ].sort(),
    );
  });

  it('flyte-client/streams exports the operators and the model helpers they work with', () => {
    expect(Object.keys(streams).sort()).toEqual(
      [
        'registration$',
        'reRegistration',
        'toRegistration',
        'poll$',
        'STAGGER_RUN',
        'CapacityGate',
        'iterate$',
        'isTakeRace',
        'contentionWaitMs',
        'resolveTakeContention',
        'nextTakeWindow',
        'TAKE_WINDOW_GROWTH',
        'takeWindow',
        'burstWaitMs',
        'burstPollingProblems',
        'DEFAULT_BURST_POLLING',
        'dispatch',
        'runAction$',
        'handlerEvent$',
        'fatalEventFor',
        'fatalResult', // deprecated alias of fatalEventFor
        'isEvent',
        'deliver',
        'deliverOne$',
        'classifyAttempt',
        'decideDelivery',
        'initialDeliveryState',
        'actionState',
        'prioritisedMerge',
        'toWireEvent',
        'backoffDelay',
        'backoffMs',
        'resolveBackoff',
        'retryWithBackoff',
        'gracefulStop$',
        'valuesFrom',
        'recoverStranded$',
        'auditUnavailable',
        'RECOVERY_HORIZON',
        'RECOVERY_MAX_PAGES',
        'RECOVERY_PAGE_SIZE',
      ].sort(),
    );
  });

  it('flyte-client/testing exports the fakes, the marble kit and the deprecated aliases', () => {
    expect(Object.keys(testing).sort()).toEqual(
      [
        'FlyteModel',
        'ModelError',
        'packIdOf',
        'InMemoryFlyteApi',
        'IN_MEMORY_BASE_URL',
        'FakeFlyteServerControl',
        'FakeFlyteServerControlError',
        'FakeServerControl', // deprecated alias of FakeFlyteServerControl
        'FakeServerControlError', // deprecated alias of FakeFlyteServerControlError
        'mulberry32',
        'testPack',
        'testPackWith',
        'takeAndVanish',
        'packTester', // deprecated alias of testPackWith
        'serverEvents$',
        'serverResults$',
        'assertDeepEqual',
        'deepEqual',
      ].sort(),
    );
  });

  it('each deprecated alias is the very value of its new name', () => {
    expect(core.FATAL_EVENT).toBe(core.FATAL_EVENT_DEF);
    expect(streams.fatalResult).toBe(streams.fatalEventFor);
    expect(testing.packTester).toBe(testing.testPackWith);
    expect(testing.FakeServerControl).toBe(testing.FakeFlyteServerControl);
    expect(testing.FakeServerControlError).toBe(testing.FakeFlyteServerControlError);
  });

  it('the two share no value: the pack author needs only flyte-client', () => {
    expect(Object.keys(streams).filter((name) => name in core)).toEqual([]);
  });
});
