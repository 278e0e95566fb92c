import { HttpFlyteApi } from '../api/http-flyte-api.js';
import type { HttpFlyteApiOptions } from '../api/http-flyte-api-options.js';
import { nodeHttpExchange, type NodeHttpExchangeOptions } from './node-http-transport.js';

/**
 * Options of {@link nodeFlyteApi}: those of `HttpFlyteApi` but the transport's, plus
 * `insecureTls`.
 *
 * @example
 * const options: NodeFlyteApiOptions = { url: 'https://flyte.dev.local:8443', insecureTls: true };
 */
export interface NodeFlyteApiOptions
  extends Omit<HttpFlyteApiOptions, 'exchange' | 'fetch' | 'agent'>, NodeHttpExchangeOptions {}

/**
 * An `HttpFlyteApi` over `node:http` ({@link nodeHttpExchange}): the flyte API a pack uses in
 * Node, and what `runPack` builds. It never loads cross-fetch or node-fetch.
 *
 * @param options - the adapter's options and `insecureTls`.
 * @returns the API.
 * @throws `ConfigError` listing every invalid option.
 * @example
 * import { Pack } from 'flyte-client';
 * import { nodeFlyteApi } from 'flyte-client/node';
 * const pack = new Pack(def, { api: nodeFlyteApi({ url: 'http://localhost:8080', token }) });
 */
export function nodeFlyteApi(options: NodeFlyteApiOptions): HttpFlyteApi {
  const { insecureTls, ...adapter } = options;
  return new HttpFlyteApi({ ...adapter, exchange: nodeHttpExchange({ insecureTls }) });
}
