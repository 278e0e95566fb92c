// The lean figures of `make bench` (issue 22), measured in a child process of plain Node on
// the BUILT package (dist/, through the package's own `flyte-client/node` export: no tsx, no
// TypeScript loader in the way). Forked by bench/lean.ts; answers over IPC with one message.
//   pack URL ACTIONS [EARLY]
//                     a no-op pack as runPack runs it (default options; FLYTE_V8_OPTIMISE_EARLY
//                     = EARLY when given) drains ACTIONS queued actions: CPU and time from start
//                     to the last result, takes in flight, and the CPU and time of the second
//                     half of the results alone (warm)
//   bare URL ACTIONS N the yardstick: N node:http take -> result loops, no SDK
//   start URL         says 'ready' at the first take answered, then its RSS after idling
//   node              a bare node process: says 'ready' at once, then its RSS after idling
//   import            time to import flyte-client/node, and RSS after it
//   warmup ACTIONS N  a no-op Pack over the in-memory API (no HTTP) drains ACTIONS actions:
//                     its CPU per action over each block of N actions (us0, us1, ...)
import { Agent, request } from 'node:http';

/** `lastArg`: N for bare and warmup, EARLY for pack. */
const [mode, url, actionsArg, lastArg] = process.argv.slice(2);
const actions = Number(actionsArg);
/** From this result on the start is behind: the second half's CPU and time leave it out. */
const half = Math.floor(actions / 2);
const IDLE_MS = 2000;
const tell = (message) => process.send(message);
const reply = (message) => process.send(message, () => process.exit(0));
const cpuUs = (since) => {
  const used = process.cpuUsage(since);
  return used.user + used.system;
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The no-op pack: one command answering at once. */
const noOpPack = {
  name: 'rota-bench',
  commands: [
    {
      name: 'Rota',
      outputEvents: [{ name: 'RotaRetrieved' }],
      handler: () => ({ eventDef: { name: 'RotaRetrieved' }, payload: 'Jane' }),
    },
  ],
};

/** runPack with its defaults, but no health server and no exit (the parent ends the child). */
async function runNoOpPack(node, core, exchange) {
  return node.runPack(noOpPack, {
    env: { FLYTE_API: url, ...(lastArg && { FLYTE_V8_OPTIMISE_EARLY: lastArg }) },
    config: { healthPort: null },
    // The API runPack builds, with a counter of takes in flight around its exchange.
    ...(exchange && {
      packOptions: { api: new core.HttpFlyteApi({ url, exchange, timeout: 10_000 }) },
    }),
    exit: () => undefined,
  });
}

/** An exchange that counts its takes in flight: time-weighted mean and peak. */
function countingTakes(exchange) {
  const counter = { inFlight: 0, peak: 0, area: 0, since: performance.now(), start: 0 };
  const move = (by) => {
    const now = performance.now();
    counter.area += counter.inFlight * (now - counter.since);
    counter.since = now;
    counter.inFlight += by;
    counter.peak = Math.max(counter.peak, counter.inFlight);
  };
  counter.mean = () => {
    move(0);
    return counter.area / (performance.now() - counter.start);
  };
  counter.exchange = (req) => {
    if (!req.url.includes('/actions/take')) return exchange(req);
    move(1);
    return exchange(req).finally(() => move(-1));
  };
  return counter;
}

async function pack() {
  const node = await import('flyte-client/node');
  const core = await import('flyte-client');
  const counter = countingTakes(node.nodeHttpExchange());
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  counter.start = t0;
  counter.since = t0;
  const running = await runNoOpPack(node, core, counter.exchange);
  let results = 0;
  let warm;
  let warmAt;
  await new Promise((resolve) =>
    running.pack.results$.subscribe(() => {
      if (++results === half) [warm, warmAt] = [process.cpuUsage(), performance.now()];
      if (results === actions) resolve();
    }),
  );
  const end = performance.now();
  const warmUs = cpuUs(warm);
  reply({
    cpuUs: cpuUs(cpu),
    warmUs,
    ms: end - t0,
    warmMs: end - warmAt,
    meanInFlight: counter.mean(),
    peakInFlight: counter.peak,
  });
}

/** One POST; resolves with the status and the body. */
function post(agent, target, body) {
  return new Promise((resolve, reject) => {
    const headers = { Accept: 'application/json', 'Content-Length': Buffer.byteLength(body ?? '') };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const req = request(target, { method: 'POST', agent, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString() }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

function get(agent, target) {
  return new Promise((resolve, reject) => {
    request(target, { agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks).toString()));
    })
      .on('error', reject)
      .end();
  });
}

const linkOf = (text, rel) => JSON.parse(text).links.find((l) => l.rel.endsWith(rel)).href;

async function bare() {
  const agent = new Agent({ keepAlive: true });
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const packs = linkOf(await get(agent, `${url}/v1`), 'pack/listPacks');
  const registration = JSON.stringify({
    name: noOpPack.name,
    commands: [{ name: 'Rota', events: ['RotaRetrieved'] }],
    events: [{ name: 'RotaRetrieved' }],
  });
  const takeUrl = linkOf((await post(agent, packs, registration)).text, 'takeAction');
  let done = 0;
  let warm;
  let warmAt;
  const loop = async () => {
    while (done < actions) {
      const take = await post(agent, takeUrl);
      if (take.status === 204) return;
      if (take.status !== 200) continue;
      const event = {
        event: 'RotaRetrieved',
        payload: 'Jane',
        createdAt: new Date().toISOString(),
      };
      const result = await post(agent, linkOf(take.text, 'actionResult'), JSON.stringify(event));
      if (result.status !== 202) throw new Error(`result answered ${result.status}`);
      if (++done === half) [warm, warmAt] = [process.cpuUsage(), performance.now()];
    }
  };
  await Promise.all(Array.from({ length: Number(lastArg) }, loop));
  const end = performance.now();
  if (done < actions) throw new Error(`bare loop: ${done} of ${actions} results`);
  reply({ cpuUs: cpuUs(cpu), warmUs: cpuUs(warm), ms: end - t0, warmMs: end - warmAt });
}

async function start() {
  const node = await import('flyte-client/node');
  const running = await runNoOpPack(node);
  await new Promise((resolve) => running.pack.actions$.subscribe(resolve));
  tell({ ready: true });
  await sleep(IDLE_MS);
  reply({ rss: process.memoryUsage().rss });
}

async function bareNode() {
  tell({ ready: true });
  await sleep(IDLE_MS);
  reply({ rss: process.memoryUsage().rss });
}

async function importOnly() {
  const t0 = performance.now();
  await import('flyte-client/node');
  const importMs = performance.now() - t0;
  reply({ importMs, rss: process.memoryUsage().rss });
}

/** How the CPU per action of the pack's own code falls as V8 optimises it, block by block. */
async function warmup() {
  const core = await import('flyte-client');
  const { InMemoryFlyteApi } = await import('flyte-client/testing');
  const block = Number(lastArg);
  const api = new InMemoryFlyteApi();
  for (let i = 0; i < actions; i++) {
    api.model.enqueueAction({ packName: noOpPack.name, command: 'Rota', input: i });
  }
  const silent = { error() {}, warn() {}, info() {}, debug() {} };
  const pack = new core.Pack(noOpPack, { api, logger: silent });
  const perBlock = {};
  let results = 0;
  let since = process.cpuUsage();
  await new Promise((resolve) => {
    pack.results$.subscribe(() => {
      if (++results % block === 0) {
        perBlock[`us${results / block - 1}`] = cpuUs(since) / block;
        since = process.cpuUsage();
      }
      if (results === actions) resolve();
    });
    void pack.start();
  });
  reply(perBlock);
}

const modes = { pack, bare, start, node: bareNode, import: importOnly, warmup };
modes[mode]().catch((error) => {
  process.stderr.write(`lean-child ${mode}: ${error.stack ?? error}\n`);
  process.exit(1);
});
