/**
 * `flyte-client/testing` in Node: the browser-safe testing kit plus the fake flyte server
 * over real HTTP.
 */
export {
  FlyteModel,
  ModelError,
  packIdOf,
  FakeServerControl,
  FakeServerControlError,
  mulberry32,
  type ActionInput,
  type ActionRecord,
  type ActionState,
  type EventInput,
  type EventRecord,
  type PackStatus,
  type StoredPack,
  type FaultConfig,
  type FaultEndpoint,
  type RequestLogEntry,
} from './index.js';
export { FakeFlyteServer, type FakeFlyteServerOptions } from './fake-flyte-server.js';
export { FakeFlyteState } from './fake-flyte-state.js';
