/**
 * `flyte-client/testing`: the testing kit — marble tests of a whole pack in virtual time
 * (`testPack`), the in-memory flyte API and its model, and, in Node, the fake flyte server
 * over real HTTP. In browsers the same entry point offers everything but the fake server.
 *
 * @module flyte-client/testing
 */
// In Node: everything `./index.ts` exports (keep this list in step with it), plus the server.
export {
  FlyteModel,
  type ActionInput,
  type ActionRecord,
  type ActionState,
  type EventInput,
  type EventRecord,
  ModelError,
  type PackStatus,
  type StoredPack,
  packIdOf,
  FakeFlyteServerControl,
  FakeFlyteServerControlError,
  type BodyFault,
  type EndpointStats,
  type FaultConfig,
  type FaultPatch,
  type FaultEndpoint,
  type InjectedFault,
  type RedirectFault,
  type RequestLogEntry,
  mulberry32,
  InMemoryFlyteApi,
  type InMemoryFlyteApiOptions,
  type Latency,
  type ApiCall,
  type ApiMethod,
  type CallInfo,
  type Fault,
  type FaultHook,
  type FaultKind,
  IN_MEMORY_BASE_URL,
  testPack,
  testPackWith,
  type ActionSpec,
  type PackTest,
  type PackTestContext,
  type PackTestOptions,
  type PackTestResult,
  type TakeOutcome,
  type RecordedEvent,
  type RecordedResult,
  type ExpectedResult,
  serverEvents$,
  serverResults$,
  assertDeepEqual,
  deepEqual,
  takeAndVanish,
  marblesAt,
} from './index.js';
export { FakeFlyteServer, type FakeFlyteServerOptions } from './fake-flyte-server.js';
