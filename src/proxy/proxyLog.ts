/**
 * What the proxy tells its operator on stderr (never on a stdio front's stdout): each event is a
 * line for people and, with --log-format json, one JSON object per line for log collectors:
 * {"time","level","event","msg", …fields}, e.g. {"event":"instance_exited","slot":0,"pid":123,…}.
 */

/** An event's name, level and fields (numbers and short strings: slot, pid, reason, delay). */
export interface LogEvent {
  /** A stable name, snake_case (README lists them). */
  event: string;
  /** 'warn' for what the operator should act on; 'info' otherwise (the default). */
  level?: 'info' | 'warn';
  /** Further fields. */
  [field: string]: unknown;
}

/** Where the proxy's events go: `line` for people, `e` for machines. */
export type ProxyLog = (line: string, e: LogEvent) => void;
