/**
 * The page-of-duty pack as a process, the way a container runs it:
 *
 *   FLYTE_API=http://localhost:8080 node --import tsx samples/rota-pack/main.ts
 *
 * `runPack` reads the FLYTE_* configuration (FLYTE_API, FLYTE_JWT, FLYTE_LABELS, ...), logs
 * through winston, serves health checks and Prometheus metrics (FLYTE_HEALTH_PORT, default
 * 8090: `curl localhost:8090/metrics`), and on SIGTERM or SIGINT stops gracefully — running
 * handlers finish, results are delivered — then exits 0.
 * Install flow.yaml on the flyte server to have the pack answer "flyte on-call" in Slack.
 */
import { runPack } from 'flyte-client/node';
import { rotaPack } from './pack.js';

void runPack(rotaPack()).catch(() => undefined); // runPack has logged why and set the exit code
