// Everything an entry point exports is a promise to keep: these lists change only on purpose.
import * as core from '../lib/index.js';
import * as streams from '../lib/streams/index.js';

describe('the entry points', () => {
  it("flyte-client exports the pack author's surface and nothing internal", () => {
    expect(Object.keys(core).sort()).toEqual(
      [
        'Pack',
        'validatePackDef',
        'defineEvent',
        'defineCommand',
        'definePack',
        'FATAL',
        'FATAL_EVENT',
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
        'isTimeoutError',
        'isInvalidResponseError',
        'isLinkNotFoundError',
        'isPackDefinitionError',
        'isDeliveryError',
        'isInferredDeliveryError',
        'isConfigError',
        'isUndeclaredEventError',
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
        'CapacityGate',
        'iterate$',
        'dispatch',
        'runAction$',
        'handlerEvent$',
        'fatalResult',
        'isEvent',
        'deliver',
        'deliverOne$',
        'classifyAttempt',
        'BARE_500S_FOR_LANDING',
        'prioritisedMerge',
        'toWireEvent',
        'backoffDelay',
        'backoffMs',
        'resolveBackoff',
        'retryWithBackoff',
        'gracefulStop$',
      ].sort(),
    );
  });

  it('the two share no value: the pack author needs only flyte-client', () => {
    expect(Object.keys(streams).filter((name) => name in core)).toEqual([]);
  });
});
