/**
 * A change to a config file's value, and what every format's editor (JSON, YAML, .env) is given
 * with it: the shared vocabulary of editText.ts and the editors it dispatches to.
 */

/** Set the value at a JSON Pointer (RFC 6901). */
export interface ValueChange {
  /** Where, e.g. "/server/port"; in .env files "/NAME". */
  pointer: string;
  /** The new value (any JSON value; strings, numbers and booleans in .env files). */
  value: unknown;
}

/** The file a format editor works on: its own layout, its path for errors, and whether keys may be created. */
export interface EditContext {
  /** The file's own line ending and one level of its indentation, so inserted text matches. */
  style: {
    /** Line ending: '\r\n' if any line of the file has one, else '\n'. */
    eol: string;
    /** One level of indentation: a tab, or the file's smallest run of leading spaces (2 when nothing is indented). */
    indent: string;
  };
  /** The file as named in errors. */
  path: string;
  /** Create missing objects ("-" appends to an array) instead of failing with a UsageError. */
  allowCreate: boolean;
}
