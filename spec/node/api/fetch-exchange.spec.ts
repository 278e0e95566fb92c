import { crossFetchExchange } from '../../../lib/api/request.js';
import { exchangeContract } from './exchange-contract.js';

exchangeContract('fetch (cross-fetch: node-fetch 2 in Node)', () => crossFetchExchange());
