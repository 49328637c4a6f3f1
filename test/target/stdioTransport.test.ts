import { afterEach, describe, expect, it } from 'vitest';
import { ServerProcess } from '../../src/target/serverProcess.js';
import { StdioTransport, type WriteBatching } from '../../src/target/stdioTransport.js';

const started: StdioTransport[] = [];
afterEach(async () => {
  for (const t of started.splice(0)) await t.close();
});

/** A transport to a process that reads stdin and answers nothing; `writes` records each stdin write. */
async function transport(batching?: WriteBatching): Promise<{ t: StdioTransport; writes: string[] }> {
  const proc = await ServerProcess.start({
    command: process.execPath, args: ['-e', 'process.stdin.resume()'], cwd: process.cwd(), env: process.env,
  });
  const t = new StdioTransport(proc, { afterEofMs: 500, afterTermMs: 500 }, batching);
  started.push(t);
  const writes: string[] = [];
  const stdin = proc.child.stdin;
  const original = stdin.write.bind(stdin) as (chunk: string) => boolean;
  (stdin as unknown as { write: (chunk: string) => boolean }).write = (chunk: string) => {
    writes.push(chunk);
    return original(chunk);
  };
  return { t, writes };
}

const send = (t: StdioTransport, n: number, from = 0): void => {
  for (let i = from; i < from + n; i++) t.send(`{"jsonrpc":"2.0","id":${i},"method":"ping"}`, { method: 'ping', id: i });
};
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const lines = (chunk: string): number => chunk.split('\n').length - 1;

describe('StdioTransport write coalescing', () => {
  it('without batching, everything sent in one tick goes out in one write', async () => {
    const { t, writes } = await transport();
    send(t, 10);
    await tick();
    expect(writes.map(lines)).toEqual([10]);
    send(t, 3, 10);
    await tick();
    expect(writes.map(lines)).toEqual([10, 3]);
  });

  it('batch max 4: full batches go out at once, the rest at the end of the tick (delay 0)', async () => {
    const { t, writes } = await transport({ max: 4, delayMs: 0 });
    send(t, 10);
    expect(writes.map(lines)).toEqual([4, 4]);
    await tick();
    expect(writes.map(lines)).toEqual([4, 4, 2]);
  });

  it('batch max 4 with a 50 ms delay: a partial batch waits for the delay, across ticks', async () => {
    const { t, writes } = await transport({ max: 4, delayMs: 50 });
    send(t, 2);
    await tick();
    send(t, 1, 2);
    await tick();
    expect(writes).toEqual([]);
    await sleep(80);
    expect(writes.map(lines)).toEqual([3]);
    send(t, 5, 3);
    expect(writes.map(lines)).toEqual([3, 4]);
    await sleep(80);
    expect(writes.map(lines)).toEqual([3, 4, 1]);
  });

  it('perTurn: messages sent in separate ticks of one event-loop turn share a write when it says so, and go out per tick when not', async () => {
    let shared = true;
    const { t, writes } = await transport({ max: 1024, delayMs: 0, perTurn: () => shared });
    // Two I/O callbacks of one turn (an HTTP front's two POSTs): each ends its own tick.
    const twoCallbacks = (from: number): Promise<void> => new Promise((done) => {
      setImmediate(() => send(t, 2, from));
      setImmediate(() => {
        send(t, 3, from + 2);
        done();
      });
    });
    await twoCallbacks(0);
    await tick();
    expect(writes.map(lines)).toEqual([5]);
    shared = false;
    await twoCallbacks(5);
    await tick();
    expect(writes.map(lines)).toEqual([5, 2, 3]);
  });

  it('close() flushes what is queued before stopping the server', async () => {
    const { t, writes } = await transport({ max: 100, delayMs: 10_000 });
    send(t, 3);
    started.splice(0);
    await t.close();
    expect(writes.map(lines)).toEqual([3]);
  });
});

describe('StdioTransport close', () => {
  it('a server that closes stdout as it shuts down, and exits over a second later, was closed by mcp-opt (not "closed its stdout")', async () => {
    // On stdin EOF: close stdout at once, exit 1.2 s later (a graceful drain), past the grace
    // that concludes "closed its stdout but kept running" for a server nobody asked to stop.
    const script = "process.stdin.resume(); process.stdin.on('end', () => { require('fs').closeSync(1); setTimeout(() => process.exit(0), 1200); });";
    const proc = await ServerProcess.start({ command: process.execPath, args: ['-e', script], cwd: process.cwd(), env: process.env });
    const t = new StdioTransport(proc, { afterEofMs: 3000, afterTermMs: 1000 });
    const reasons: string[] = [];
    t.onclose = (info) => reasons.push(info.reason);
    await t.close();
    expect(reasons).toEqual(['mcp-opt closed the connection']);
  });
});
