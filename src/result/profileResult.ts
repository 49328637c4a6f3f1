/**
 * The `profile` section of analyze, bench and tune results (`--profile`): where the server spent
 * its CPU in the measured window, folded by function, package and stack, and (analyze) which
 * imports made start-up slow. Built from V8 CPU profiles of every Node process of the server's
 * tree, or from `python -X importtime` for a Python server's start-up. Every figure here is
 * computed from samples mcp-opt collected in this run; the raw profiles are saved next to the
 * result (`files`) and open in Chrome DevTools and speedscope.
 */
import type { Finding } from './finding.js';

/** What a sample's time belongs to. */
export type CpuCategory =
  /** The server's own files (not under node_modules, not node's). */
  | 'your code'
  /** A dependency under node_modules (see `packages`). */
  | 'packages'
  /** Node's own JavaScript (`node:` URLs) and V8 builtins. */
  | 'runtime'
  /** V8's `(garbage collector)` samples. */
  | 'gc'
  /** V8's `(program)` samples: native work not attributed to JavaScript (compilation, I/O polling). */
  | 'program'
  /** V8's `(idle)` samples: the event loop waited for work. */
  | 'idle';

/** Time of one category. */
export interface CategoryTime {
  /** The category. */
  category: CpuCategory;
  /** Sampled milliseconds. */
  ms: number;
  /** Share of all sampled time, percent (the categories add up to 100). */
  pct: number;
}

/** Self time of one package (or 'your code', 'runtime'). */
export interface PackageTime {
  /** npm package name (`zod`, `@modelcontextprotocol/sdk`), or '(your code)', '(runtime)'. */
  name: string;
  /** Self milliseconds in the package's files. */
  selfMs: number;
  /** Share of busy time (sampled minus idle), percent. */
  pct: number;
}

/** Self time of one function. */
export interface FunctionTime {
  /** Function name as V8 reports it ('(anonymous)' when it has none). */
  name: string;
  /** Source file (a path, `node:` URL or '' for builtins), as the profile names it. */
  file: string;
  /** 1-based line, or null when unknown. */
  line: number | null;
  /** Package the file belongs to ('(your code)', '(runtime)', or the npm name). */
  package: string;
  /** Self milliseconds. */
  selfMs: number;
  /** Share of busy time, percent. */
  pct: number;
}

/** One hot call stack. */
export interface StackTime {
  /** Frames from the outermost caller to the function that was running, each `name (file:line)`. */
  frames: string[];
  /** Milliseconds sampled with exactly this stack running. */
  ms: number;
  /** Share of busy time, percent. */
  pct: number;
}

/** A node of the flame graph: a call path folded by function, with its total (inclusive) time. */
export interface FlameNode {
  /** `name (file:line)` or a V8 pseudo-frame name like '(garbage collector)'. */
  frame: string;
  /** Package of the frame's file, for colouring. */
  package: string;
  /** Inclusive milliseconds (this frame and everything it called). */
  totalMs: number;
  /** Self milliseconds. */
  selfMs: number;
  /** Callees, widest first; nodes under the pruning threshold are left out. */
  children: FlameNode[];
}

/** A CPU summary of the samples in one time window. */
export interface CpuSummary {
  /** Samples in the window. */
  samples: number;
  /** Sampled milliseconds in the window (all categories, idle included). */
  sampledMs: number;
  /** Sampled milliseconds not idle: the denominator of every `pct` except categories'. */
  busyMs: number;
  /** Time by category; adds up to sampledMs. */
  categories: CategoryTime[];
  /** Self time by package, most first. */
  packages: PackageTime[];
  /** Top functions by self time (idle, program and root excluded), most first. */
  functions: FunctionTime[];
  /** Hottest stacks, most first. */
  stacks: StackTime[];
  /** Folded call tree (busy samples only), pruned to frames of at least 0.5 % of busy time. */
  flame: FlameNode | null;
}

/** A CPU summary of one tool's requests. */
export interface ToolProfile {
  /** Operation label ('tools/call:search'). */
  op: string;
  /** Requests whose windows were used. */
  requests: number;
  /** Summary of the samples inside those requests' windows (windows of other tools excluded). */
  summary: CpuSummary;
}

/** One saved profile file. */
export interface ProfileFile {
  /** Path of the `.cpuprofile` (absolute, or relative to the result file's folder). */
  path: string;
  /** Process id that was profiled. */
  pid: number;
  /** The process's main script or command, secrets masked as elsewhere in results. */
  title: string;
  /** Samples in the file (whole profile, not only the window). */
  samples: number;
}

/** Start-up cost of one module or package. */
export interface ImportTime {
  /** Package name ('(your code)' for the server's own files), or a module path / Python module name. */
  name: string;
  /** Milliseconds spent loading it: inclusive of what it loaded in turn for `packages`, its own (self) time for `modules`. */
  ms: number;
  /** Share of the profiled start-up, percent. */
  pct: number;
}

/** Where start-up time went, from process start to the handshake's answer. */
export interface StartupProfile {
  /** What the server runs on. */
  language: 'node' | 'python';
  /** How the figures were collected. */
  source: 'cpu-profile' | 'python -X importtime';
  /** Milliseconds from spawn to the initialize answer in the profiled start. */
  readyMs: number;
  /** Milliseconds the figures cover (sampled, or the sum of top-level imports for Python). */
  coveredMs: number;
  /** Milliseconds spent loading modules (evaluating and compiling imports), of coveredMs. */
  importMs: number;
  /** Import time by top-level dependency (what the server's own code imported), most first. */
  packages: ImportTime[];
  /** The costliest single modules, most first. */
  modules: ImportTime[];
}

/** The `profile` section of a result. */
export interface ProfileSection {
  /** How the profiles were taken: V8's sampling profiler through an in-process inspector session (Node), or `python -X importtime` (a Python server's start-up only). */
  method: 'inspector' | 'python-importtime';
  /** Sampling interval asked of V8, microseconds (--profile-interval). */
  intervalUs: number;
  /** Length of the profiled (measured) window, milliseconds; 0 when only start-up was profiled. */
  windowMs: number;
  /** Saved profiles, one per Node process of the tree. */
  files: ProfileFile[];
  /** Summary of the measured window over every profiled process; null when nothing was sampled. */
  summary: CpuSummary | null;
  /** Per-tool summaries, when the workload called several tools in windows that did not overlap. */
  byTool: ToolProfile[];
  /** Start-up profile (analyze); null when not taken. */
  startup: StartupProfile | null;
  /** What the profile says to fix (hot function or package, validation, JSON, sync I/O, GC, heavy imports), most severe first. */
  findings: Finding[];
  /** What could not be profiled and why (non-Node process, overlapping tool windows…). */
  notes: string[];
}
