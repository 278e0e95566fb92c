import { crossFetchExchange, fetchExchange } from '../../../lib/api/request.js';
import { exchangeContract } from './exchange-contract.js';

// Both body readers of the fetch exchange: node-fetch 2's Node stream (cross-fetch in Node)
// and the WHATWG ReadableStream that browsers and Node's native fetch give.
exchangeContract('fetch (cross-fetch: node-fetch 2 in Node)', () => crossFetchExchange());
exchangeContract(
  'fetch (native: a WHATWG ReadableStream body)',
  () => fetchExchange((input, init) => fetch(input, init)),
  { ownsConnections: false },
);
