/**
 * The mcp-opt program: commander setup only. Each subcommand's module (and the heavy libraries it
 * needs: the SDK, hdr-histogram-js, the tokenizer) is imported when that subcommand runs, so
 * `mcp-opt --version` costs little more than starting node (see `npm run bench:startup`).
 */
import { Command, Option } from 'commander';
import { EXIT_CODES } from '../errors.js';
import { TOOL_VERSION } from '../version.js';
import type { AnyResult } from '../result/anyResult.js';
import type { Io } from './io.js';
import type { CommandParts, PipelineOptions } from './runCommand.js';

const EXIT_HELP = `
Exit codes:
  ${EXIT_CODES.OK}    success (every budget you set passed)
  ${EXIT_CODES.BUDGET_FAILED}    a budget you set failed
  ${EXIT_CODES.USAGE}    usage or config error (bad flag, budget or config; nothing to launch; command not found; the result cannot be saved)
  ${EXIT_CODES.TARGET_FAILED}    the target failed (could not start, connect or handshake; died or hung mid-run; no request succeeded, result saved)
  ${EXIT_CODES.INTERNAL}    internal error: a bug in mcp-opt (please report it with the stack it printed)
  ${EXIT_CODES.INTERRUPTED}  interrupted (Ctrl-C, SIGTERM, SIGHUP, SIGQUIT); partial results are saved and marked incomplete`;

/** Help of --mcp-config (analyze, bench, tune). */
const MCP_CONFIG_HELP = 'an MCP client config file (mcpServers / servers entries)';
/** Help of --pid (analyze, bench). */
const PID_HELP = "URL targets: the server's pid, for its RSS and CPU (default: the process listening on the URL's port, on this machine)";

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Options every measuring command has: timeout, era, config, and the output flags. */
function sharedOptions(cmd: Command, kind: string): Command {
  return cmd
    .option('--header <header>', "URL targets: send this request header, e.g. 'Authorization: Bearer …' (repeatable; value never printed or saved)", collect)
    .option('--env <NAME=VALUE>', 'launched servers: set this environment variable (repeatable; value never printed or saved)', collect)
    .option('--timeout <duration>', 'start-up and per-request timeout, e.g. 10s or 500ms (default 10s)')
    .addOption(new Option('--era <era>', 'protocol era to speak (default: probe with server/discover)').choices(['auto', 'legacy', 'modern']))
    .option('--config <file>', 'mcp-opt config file (default: ./mcp-opt.config.json|.yaml if present)')
    .option('--json', 'print the result JSON on stdout, and nothing else there')
    .option('--out <file>', `write the result JSON here (default reports/${kind}-<timestamp>.json)`)
    .option('--no-save', 'do not write a result file')
    .option('--no-color', 'no colour (also: NO_COLOR=1, or output not a terminal)');
}

/** The long and short spellings of a command's own flags (for the warning about flags after `--`). */
function ownFlags(cmd: Command): string[] {
  return cmd.options.flatMap((o) => [o.long, o.short]).filter((f): f is string => typeof f === 'string');
}

/** A command that measures a target: its name, description, `[target]` help and `--mcp-config`/`--server` flags. */
function targetCommand(program: Command, name: string, description: string, targetHelp: string, serverHelp: string): Command {
  return program
    .command(name)
    .description(description)
    .argument('[target]', targetHelp)
    .option('--mcp-config <file>', MCP_CONFIG_HELP)
    .option('--server <name>', serverHelp);
}

/** The examples and the exit-code table after a command's own help. */
function withExamples(cmd: Command, examples: string[]): Command {
  return cmd.addHelpText('after', `\nExamples:\n${examples.map((e) => `  ${e}`).join('\n')}\n${EXIT_HELP}`);
}

/**
 * Build the program. `commandAfterDashes` is argv after a literal `--` (an explicit server command);
 * each action stores its command's exit code with `setCode`.
 */
export function buildProgram(commandAfterDashes: string[] | undefined, io: Io, setCode: (code: number) => void): Command {
  const program = new Command('mcp-opt')
    // Before any .command(): subcommands copy the output settings when created.
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      getOutHelpWidth: () => (io.stdout.isTTY && io.stdout.columns) || 80,
      getErrHelpWidth: () => (io.stderr.isTTY && io.stderr.columns) || 80,
      getOutHasColors: () => io.stdout.isTTY === true && !io.env['NO_COLOR'],
      getErrHasColors: () => io.stderr.isTTY === true && !io.env['NO_COLOR'],
    })
    .description('Measure and tune MCP servers: cold start, tool lookup, latency, memory, and CI budgets.')
    .version(TOOL_VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', EXIT_HELP)
    .exitOverride()
    // Module state of an earlier run in this process (secrets learned, folders swept) is not this run's.
    .hook('preAction', async () => (await import('./runState.js')).resetRunState());
  /** The action of a command that runs the shared pipeline with the parts `load` imports (lazily). */
  const measuring = <O extends PipelineOptions, R extends AnyResult>(cmd: Command, load: () => Promise<CommandParts<O, R>>) =>
    async (target: string | undefined, flags: Record<string, unknown>): Promise<void> => {
      const [parts, { runCommand }] = await Promise.all([load(), import('./runCommand.js')]);
      setCode(await runCommand(parts, target, commandAfterDashes, flags, ownFlags(cmd), io));
    };

  const analyze = targetCommand(program, 'analyze', 'Start an MCP server the way a client would, measure it, and say what to fix.', 'a server directory, a file (.js/.mjs/.cjs/.py/.ts), or an http(s):// URL; or give a command after --', 'the entry of --mcp-config to measure')
    .option('--runs <n>', 'measured cold starts (default 10)')
    .option('--warmup <n>', 'warm-up cold starts, excluded from figures (default 1)')
    .option('--call <spec>', "call this tool, even if not annotated safe: name, name='{\"a\":1}' (repeatable)", collect)
    .option('--no-calls', 'send no tools/call at all: no tool, no lookup probe (tool lookup is then not measured)')
    .option('--no-probes', 'skip the lookup probes (tools/call of an unknown name or without a name); safe and named tools are still called')
    .option('--concurrency <n>', 'requests in flight in the concurrent latency pass (default 4)')
    .option('--samples <n>', 'samples per operation per latency pass (default 200)')
    .option('--lookup-samples <n>', 'baseline/unknown-name pairs for the lookup measurement (default 2000)')
    .option('--profile', "after measuring, profile the server: a start-up profile (which imports cost the start; python -X importtime for Python) and a CPU profile of each operation's requests (Node servers), saved beside the result")
    .option('--profile-interval <interval>', 'with --profile: V8 sampling interval, e.g. 500us or 1ms (default 1ms)')
    .option('--pid <n>', PID_HELP)
    .option('--budget <expr>', "a budget, e.g. 'coldStart.p50<400ms', 'latency.p95<100ms', 'errors<1%' (repeatable)", collect);
  withExamples(sharedOptions(analyze, 'analyze'), [
    'mcp-opt analyze ./my-server',
    'mcp-opt analyze server.py --runs 20',
    'mcp-opt analyze -- npx -y @modelcontextprotocol/server-everything',
    'mcp-opt analyze --mcp-config ~/.cursor/mcp.json --server github',
    `mcp-opt analyze http://127.0.0.1:3000/mcp --budget 'latency.p95<100ms'`,
  ]).action(measuring(analyze, async () => (await import('./analyze.js')).analyzeParts));
  const bench = targetCommand(program, 'bench', 'Load an MCP server at a fixed rate (--rps) or concurrency, with coordinated-omission-correct latency.', 'as for analyze: a server directory, a file, an http(s):// URL; or a command after --', 'the entry of --mcp-config to measure')
    .option('--rps <n>', 'open loop: send n requests per second whatever the answers (latency counts from each intended send time)')
    .addOption(new Option('--arrival <kind>', 'open-loop arrivals (default uniform)').choices(['uniform', 'poisson']))
    .option('--max-inflight <n>', 'open loop: cap on requests in flight (later sends wait and count as late)')
    .option('--concurrency <n>', 'closed loop: keep n requests in flight (default 8 when no --rps)')
    .option('--duration <duration>', 'measured length, e.g. 30s (default 10s)')
    .option('--requests <n>', 'measured length as a number of requests (instead of --duration)')
    .option('--warmup <duration>', 'warm-up before measuring, excluded from figures (default 2s)')
    .option('--method <method>', 'request to send: ping, tools/list or discover (default ping; tools/list in the 2026-07-28 era)')
    .option('--call <spec>', "call a tool: name, name='{\"a\":1}', name:weight='{...}' for a weighted mix, or auto (every tool annotated safe) (repeatable)", collect)
    .option('--workload <file>', 'a workload file (JSON or YAML): operations with weights and argument templates')
    .option('--seed <n>', 'seed of poisson arrivals, the mix and argument templates (default 1)')
    .option('--pool <n>', 'start n stdio server instances, one session each')
    .option('--connections <n>', 'HTTP: n sessions over keep-alive connections')
    .option('--pid <n>', PID_HELP)
    .addOption(new Option('--http-client <client>', 'who sends HTTP load: mcp-opt\'s engine (auto: always, except --pipelining) or autocannon (a closed loop on one http:// session)').choices(['auto', 'autocannon', 'mcp-opt']))
    .option('--pipelining <n>', 'HTTP/1.1 requests in flight per connection (through autocannon; default 1)')
    .addOption(new Option('--balance <strategy>', 'how requests spread over instances (default round-robin)').choices(['round-robin', 'least-inflight', 'latency-ewma']))
    .option('--bailout <n>', 'stop after n failed requests')
    .option('--give-up-after <duration>', "stop a run in which nothing has succeeded at its first failure after this long, or after 1000 failures (default 5s; 'off': run its whole length)")
    .option('--keep-going', 'with --pool: go on with the other instances when one dies')
    .option('--batch <n>', 'stdio: coalesce up to n requests per write (a setting tune can choose)')
    .option('--batch-delay <ms>', 'stdio: flush a partial batch after this many ms (default 0: end of the tick)')
    .option('--profile', "sample the server's CPU (every Node process of its tree) over the measured window: hot functions, packages, stacks and a flame graph; the .cpuprofile files are saved beside the result (figures include the profiler's cost)")
    .option('--profile-interval <interval>', 'with --profile: V8 sampling interval, e.g. 500us or 1ms (default 1ms)')
    .option('--budget <expr>', "a budget, e.g. 'p95<100ms', 'errors<1%', 'rps>=1000', 'tools/call:search.p95<50ms' (repeatable)", collect);
  withExamples(sharedOptions(bench, 'bench'), [
    `mcp-opt bench ./my-server --rps 1000 --duration 30s --budget 'p95<100ms' --budget 'errors<1%'`,
    `mcp-opt bench ./my-server --concurrency 64 --call search='{"q":"mcp"}' --pool 4 --balance least-inflight`,
    'mcp-opt bench http://127.0.0.1:3000/mcp --rps 500 --connections 8 --workload load.yaml',
  ]).action(measuring(bench, async () => (await import('./bench.js')).benchParts));
  const tune = targetCommand(program, 'tune', 'Find the pool, concurrency, batching and server settings that meet a latency SLO at the highest throughput, and apply them.', 'as for bench; with --apply-from, the file to write the recommendation into', 'the entry of --mcp-config to tune, and of a client config given to --apply')
    .option('--knob <spec>', "a knob and its values: concurrency=1,2,4,8, pool=1..8, balance=…, batch=…, batchDelay=…, env:NAME=…, arg:--flag=…, file:server.json#/pool/max=…; with --via-proxy also affinity=…, maxInflightPerInstance=… (repeatable)", collect)
    .option('--slo <expr>', "latency objective, e.g. 'p95<100ms' (default: the config's latency budget, else p95<100ms)")
    .addOption(new Option('--objective <kind>', 'what to optimise (default max-throughput)').choices(['max-throughput', 'min-p95', 'min-instances']))
    .option('--at-rps <n>', 'the arrival rate of min-p95 and min-instances (open loop)')
    .option('--max-errors <pct>', 'error rate a point may not exceed, % (default 1)')
    .option('--max-points <n>', 'points measured at most; a larger space gets a guided search (default 30)')
    .option('--point-duration <duration>', 'measured length of each point (default 5s)')
    .option('--point-warmup <duration>', 'warm-up of each point (default 1s)')
    .option('--repeats <n>', 'runs per point at most when noise makes the ranking unclear (default 3)')
    .option('--noise <pct>', 'smallest difference counted as real, % (default 5)')
    .option('--pool <n>', 'server instances when pool is not a knob (default 1)')
    .option('--concurrency <n>', 'requests in flight per instance when concurrency is not a knob (default 8)')
    .addOption(new Option('--balance <strategy>', 'load spreading when balance is not a knob').choices(['round-robin', 'least-inflight', 'latency-ewma']))
    .option('--via-proxy', 'run each point\'s server through `mcp-opt proxy` (pool and balance are the proxy\'s); --apply then wraps a client config entry in it')
    .addOption(new Option('--affinity <mode>', 'with --via-proxy: the proxy\'s affinity when it is not a knob (default none)').choices(['none', 'session', 'client']))
    .option('--max-inflight-per-instance <n>', 'with --via-proxy: the proxy\'s per-instance cap when it is not a knob (default 0: none)')
    .option('--method <method>', 'request to send: ping, tools/list or discover (default ping)')
    .option('--call <spec>', 'call a tool, as in bench (repeatable)', collect)
    .option('--workload <file>', 'a workload file, as in bench')
    .option('--seed <n>', 'seed of the mix and argument templates (default 1)')
    .option('--max-calls <n>', 'send at most n requests in the whole tune (each point an equal share, no warm-up): for tools that cost money')
    .option('--resume <file>', 'continue an interrupted tune saved in this result file (same command otherwise)')
    .option('--dry-run', 'print the space and the points to measure; start nothing')
    .option('--profile', "after tuning, measure the recommended point once more with the server's CPU sampled (Node servers): hot functions, packages, flame graph; .cpuprofile files saved beside the result")
    .option('--profile-interval <interval>', 'with --profile: V8 sampling interval, e.g. 500us or 1ms (default 1ms)')
    .option('--apply <file>', "after tuning, write the recommendation into this file: the server's config, an MCP client config, an .env file or mcp-opt's config (repeatable)", collect)
    .option('--apply-from <result>', 'apply the recommendation of a saved tune result, without measuring')
    .option('--yes', 'with --apply: write (default: print the diff only)')
    .option('--write', 'same as --yes')
    .option('--force', 'with --apply: write through a symlink, or a file outside the config\'s folder');
  withExamples(sharedOptions(tune, 'tune'), [
    'mcp-opt tune ./my-server --call search --knob concurrency=1..64',
    `mcp-opt tune ./my-server --knob env:WORKERS=1,2,4,8 --slo 'p95<50ms'`,
    'mcp-opt tune ./my-server --knob file:server.json#/pool/max=4,8,16 --apply server.json --yes',
    'mcp-opt tune --apply-from reports/tune-2026-11-24T08-00-00Z.json .env --yes',
    'mcp-opt tune --mcp-config ~/.cursor/mcp.json --server docs --via-proxy --call search --knob pool=1,2,4 --apply ~/.cursor/mcp.json',
  ]).action(async (target: string | undefined, flags: Record<string, unknown>) => {
    const { tuneCommand } = await import('./tune.js');
    setCode(await tuneCommand(target, commandAfterDashes, flags, ownFlags(tune), io));
  });
  const proxy = targetCommand(program, 'proxy', 'Serve an MCP server as a pool of warm instances behind one front (stdio, or Streamable HTTP with --listen): balanced, supervised, with /metrics.', 'as for bench: a server directory or file; or the command after --', 'the entry of --mcp-config to serve')
    .option('--pool <n>', 'warm instances, started and initialized before the first request (default 1)')
    .option('--max-inflight-per-instance <n>', 'requests in flight per instance at most; more wait in the queue (default 0: no cap)')
    .option('--queue <n>', 'requests waiting at most; one more is refused with a JSON-RPC error (default 1024)')
    .option('--queue-timeout <duration>', 'longest wait in the queue (default 30s)')
    .option('--request-timeout <duration>', "answer and cancel a request the server has not answered by then (default off)")
    .addOption(new Option('--balance <strategy>', 'how requests spread over instances with --affinity none (default least-inflight)').choices(['round-robin', 'least-inflight', 'latency-ewma']))
    .addOption(new Option('--affinity <mode>', 'none: spread every request (stateless servers); session: one instance per client session; client: a dedicated instance per session (default session)').choices(['none', 'session', 'client']))
    .option('--health-interval <duration>', "probe idle instances this often; one that does not answer is replaced (default 10s; 'off')")
    .option('--health-timeout <duration>', 'a probe unanswered this long ejects the instance (default 5s)')
    .option('--recycle-after <n>', 'replace an instance after it served n requests (default 0: never)')
    .option('--max-rss <size>', 'replace an instance whose process tree uses more memory, e.g. 512MiB (default: no limit)')
    .option('--drain-timeout <duration>', 'on SIGTERM or end of input, how long requests in flight may finish (default 10s)')
    .option('--listen <url>', 'serve Streamable HTTP (both eras, many clients) at this loopback URL instead of stdio, e.g. http://127.0.0.1:8080/mcp (port 0: the OS picks; the URL is logged); /metrics, /healthz, /readyz and /dashboard on the same port')
    .option('--allow-origin <origin>', 'with --listen, also accept browser requests from this origin, e.g. https://app.example.com (repeatable; loopback origins always are)', collect)
    .option('--metrics <address>', 'serve /metrics (Prometheus), /healthz, /readyz and /dashboard at this loopback address beside the stdio front, e.g. 127.0.0.1:9464')
    .option('--dashboard <address>', 'the same as --metrics, named for the live dashboard: open http://<address>/dashboard (with --listen the HTTP front serves /dashboard itself)')
    .option('--alert <budget>', "judge this budget every second over the window, e.g. 'p95<100ms' or 'errors<1%' (bench budget syntax; repeatable): logged when it starts and stops firing, on /dashboard and /metrics", collect)
    .option('--alert-degrades', '/readyz answers 503 (degraded) while an --alert fires')
    .option('--window <duration>', 'the sliding window of /dashboard and --alert, whole seconds from 1s to 60s (default 10s)')
    .addOption(new Option('--era <era>', 'protocol era the instances serve: legacy (initialize, the default) or modern (2026-07-28)').choices(['legacy', 'modern']))
    .option('--timeout <duration>', 'start-up timeout per instance (default 10s)')
    .addOption(new Option('--log-format <format>', 'stderr: text lines, or json (one object per line: time, level, event, msg and the event\'s fields) for a log collector (default text)').choices(['text', 'json']))
    .option('--no-cache', 'answer every read from a server: no cached lists, no coalescing of identical reads')
    .option('--list-ttl <duration>', "keep a legacy server's lists this long when it does not announce changes (listChanged); announced ones are kept until the notification (default 1s; 'off')")
    .option('--cache-size <size>', 'memory for cached answers, least recently used dropped first, e.g. 16MiB (default 64MiB)')
    .option('--cache-tool <name=ttl>', "also keep this tool's answers, per arguments, e.g. lookup=30s; only for a tool annotated readOnlyHint true and openWorldHint false (repeatable)", collect)
    .option('--force', 'with --cache-tool: take the tool without checking its annotations')
    .option('--serve-stale-on-error', 'when fetching an expired cached answer again fails (a server error, its instance gone), serve the expired one')
    .option('--cache-dir <dir>', 'also keep answers every client may get (public, --cache-tool) in this folder, so a restarted proxy serves them at once')
    .option('--compress-above <size>', "with --listen: compress JSON answers of at least this size with br or gzip when the client accepts them (default 1KiB; 'off')")
    .option('--allow-tools <names>', "only these tools are listed and callable: names or globs (* and ?), comma-separated (repeatable)", collect)
    .option('--deny-tools <names>', 'these tools are left out of tools/list and refused (repeatable; deny wins over allow)', collect)
    .option('--pass-unknown-tools', 'send calls of tools the server did not list to it anyway (by default the proxy answers them: unknown tool, with the closest names)')
    .option('--env <NAME=VALUE>', 'set this environment variable for the server (repeatable; value never printed)', collect)
    .option('--config <file>', 'mcp-opt config file whose "proxy" section holds these settings');
  withExamples(proxy, [
    'mcp-opt proxy --pool 4 -- node server.js',
    'mcp-opt proxy --pool 4 --affinity none --max-inflight-per-instance 1 --metrics 127.0.0.1:9464 -- node server.js',
    'mcp-opt proxy --pool 4 --affinity client --listen http://127.0.0.1:8080/mcp -- node server.js',
    "mcp-opt proxy --pool 4 --dashboard 127.0.0.1:9464 --alert 'p95<100ms' --alert 'errors<1%' -- node server.js",
    '{ "mcpServers": { "docs": { "command": "npx", "args": ["mcp-opt", "proxy", "--pool", "4", "--", "node", "server.js"] } } }',
  ]).action(async (target: string | undefined, flags: Record<string, unknown>) => {
    const { proxyCommand } = await import('./proxy.js');
    setCode(await proxyCommand(target, commandAfterDashes, flags, ownFlags(proxy), io));
  });
  const report = program
    .command('report')
    .description('Render, gate, compare and merge saved results: terminal, Markdown, HTML, JSON and JUnit.')
    .argument('[results...]', 'result files or folders (default: the newest result in reports/)')
    .option('--format <format>', 'table, markdown, html, json or junit (repeatable; default table)', collect)
    .option('--out <file>', "where the --format before it goes ('-' is stdout; repeatable, paired in order)", collect)
    .option('--compare <baseline>', 'a baseline result file, or a folder (its newest result of the same kind)')
    .option('--fail-on-regression <pct>', 'exit 1 when a regression is significant and larger than this, e.g. 10%')
    .option('--min-effect <pct>', 'smallest change counted as improved or regressed (default 5%)')
    .option('--force', 'give verdicts even when the two runs were measured differently (load model, rate, concurrency, workload, target)')
    .option('--merge', 'add up bench results of the same workload from several generators (HDR histograms merged)')
    .option('--budget <expr>', "gate the saved run, e.g. 'p95<100ms' (repeatable)", collect)
    .option('--budget-file <file>', 'a JSON or YAML file with "budgets" (repeatable)', collect)
    .option('--config <file>', 'mcp-opt config file whose "budgets" gate the run')
    .option('--no-color', 'no colour');
  withExamples(report, [
    'mcp-opt report                                   the newest result in reports/, as tables',
    'mcp-opt report reports/ --format html --out report.html',
    'mcp-opt report current.json --compare baseline.json --fail-on-regression 10% --format markdown',
    `mcp-opt report w1.json w2.json w3.json --merge --budget 'p99<200ms'`,
  ]).action(async (results: string[], flags: Record<string, unknown>) => {
    const { reportCommand } = await import('./report.js');
    setCode(await reportCommand(results, flags, io));
  });
  return program;
}

/**
 * Run mcp-opt with `argv` (as process.argv: node, script, arguments…); resolves to the exit code.
 * Writes only to `io`'s streams, never ends the process (bin/mcp-opt.js does, with this code), and
 * can run many times in one process (tests run it in-process).
 */
export async function main(argv: string[], io: Io): Promise<number> {
  // A reader that went away (`mcp-opt tune --help | head`) is not an error of ours: stop writing to
  // it instead of crashing on EPIPE; the result file and the exit code are unaffected.
  // (The handler stays: a write still buffered when main returns can fail after it.)
  io.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    (io.stdout as NodeJS.WritableStream & { destroy?: () => void }).destroy?.();
  });
  const dashes = argv.indexOf('--', 2);
  const before = dashes === -1 ? argv : argv.slice(0, dashes);
  const after = dashes === -1 ? undefined : argv.slice(dashes + 1);
  let code: number = EXIT_CODES.OK;
  const program = buildProgram(after, io, (c) => (code = c));
  try {
    await program.parseAsync(before);
    return code;
  } catch (err) {
    const commanderCode = (err as { code?: string }).code;
    if (typeof commanderCode === 'string' && commanderCode.startsWith('commander.')) {
      // Help and version exit 0; commander already printed its message for usage errors.
      return commanderCode === 'commander.helpDisplayed' || commanderCode === 'commander.version' || commanderCode === 'commander.help' ? EXIT_CODES.OK : EXIT_CODES.USAGE;
    }
    const { reportError } = await import('./errorSink.js');
    return reportError(err, io.stderr);
  }
}
