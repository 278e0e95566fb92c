import { nodeHttpExchange } from '../../../lib/node/node-http-transport.js';
import { exchangeContract } from './exchange-contract.js';

exchangeContract('node:http', () => nodeHttpExchange());
