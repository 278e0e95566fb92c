import { fork } from 'node:child_process';
import { FakeServerProcess } from './fake-server-process.js';
const server = await FakeServerProcess.start({ storeLatencyMs: 0, latencyMs: 0 });
for (const spec of process.argv.slice(2)) {
  const [mode, tmo, dir] = spec.split(':');
  await server.reset(); await server.enqueue('rota-bench', 'Rota', 3000);
  let out = '';
  const file = mode === 'bare' ? `/tmp/ab/${dir ?? 'fin'}/bench/lean-child.mjs` : `/tmp/ab/${dir ?? 'fin'}/bench/zz-layers.mjs`;
  const args = mode === 'bare' ? ['bare', server.url, '3000', '5'] : mode === 'pack' ? ['pack', server.url, '3000'] : [mode, server.url, '3000', '5'];
  await new Promise<void>((resolve) => { const p = fork(mode === 'pack' ? `/tmp/ab/${dir ?? 'fin'}/bench/lean-child.mjs` : file, args, { stdio: ['ignore', 'pipe', 'inherit', 'ipc'], execArgv: ['--trace-gc'], env: { ...process.env, TMO: tmo ?? '10000' } }); p.stdout!.on('data', (d) => (out += d)); p.on('exit', () => resolve()); });
  const sc = out.split('\n').filter((l) => l.includes('Scavenge'));
  const ms = sc.map((l) => Number(/MB, ([0-9.]+) \//.exec(l)?.[1] ?? 0));
  const mc = out.split('\n').filter((l) => l.includes('Mark-Compact')).length;
  console.log(spec.padEnd(16), 'scavenges', sc.length, 'total ms', ms.reduce((a, b) => a + b, 0).toFixed(1), 'mark-compacts', mc, '| last', sc.slice(-1)[0]?.replace(/.*Scavenge/, '').slice(0, 34));
}
await server.close();
