import type { Agent, AgentOptions } from 'node:https';
import { httpsModule } from './https-module.js';
import { keepAliveAgent } from './keep-alive-agent.js';

/**
 * An HTTPS agent that accepts any server certificate: self-signed, expired, or issued for
 * another host. Node only, and an explicit opt-in: pass it as the `agent` option of
 * `HttpFlyteApi` (it reaches node-fetch through cross-fetch) for a development or test
 * flyte server whose certificate Node cannot verify.
 *
 * **This disables TLS verification for every request made with it**: anyone on the network
 * path can then read and alter the traffic, bearer token included. Prefer giving Node the
 * server's CA (`NODE_EXTRA_CA_CERTS=/path/ca.pem`); never use this in production.
 *
 * Apart from verification it behaves like Node's global agent (which every other request
 * uses): connections are kept alive and reused, most recently used first, and an idle one is
 * closed after 5 s. Without keep-alive every request would pay a TCP and TLS handshake.
 *
 * @returns a new `https.Agent` with `rejectUnauthorized: false` and `keepAlive: true`.
 * @example
 * import { insecureTlsAgent } from 'flyte-client/node';
 * const api = new HttpFlyteApi({ url: 'https://flyte.dev.local:8443', agent: insecureTlsAgent() });
 */
export function insecureTlsAgent(): Agent {
  return keepAliveAgent<AgentOptions, Agent>(httpsModule().Agent, { rejectUnauthorized: false });
}
