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
        'PACK_DEFAULTS',
        'validatePackDef',
        'defineEvent',
        'defineCommand',
        'definePack',
        'FATAL',
        'FATAL_EVENT_DEF',
        'fatalEvent',
        'HttpFlyteApi',
        'consoleLogger',
        'pinoLogger',
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

  it('flyte-client/streams exports the operators a runtime is composed of and nothing internal', () => {
    expect(Object.keys(streams).sort()).toEqual(
      [
        'registration$',
        'reRegistration',
        'toRegistration',
        'poll$',
        'SlotLedger',
        'dispatch',
        'runAction$',
        'deliver',
        'deliverOne$',
        'actionState',
        'toWireEvent',
        'recoverStranded$',
        'retryWithBackoff',
        'gracefulStop$',
        'valuesFrom',
      ].sort(),
    );
  });

  it('flyte-client/testing exports the fakes and the marble kit', () => {
    expect(Object.keys(testing).sort()).toEqual(
      [
        'FlyteModel',
        'ModelError',
        'packIdOf',
        'InMemoryFlyteApi',
        'IN_MEMORY_BASE_URL',
        'FakeFlyteServerControl',
        'FakeFlyteServerControlError',
        'mulberry32',
        'testPack',
        'testPackWith',
        'marblesAt',
        'takeAndVanish',
        'serverEvents$',
        'serverResults$',
        'assertDeepEqual',
        'deepEqual',
      ].sort(),
    );
  });

  it('the two share no value: the pack author needs only flyte-client', () => {
    expect(Object.keys(streams).filter((name) => name in core)).toEqual([]);
  });
});
