/**
 * A parsed YAML document turned into plain data with its aliases bounded: a "billion laughs"
 * document (anchors whose aliases nest and multiply) expands exponentially, so the yaml library's
 * maxAliasCount stops it, and its ReferenceError becomes an error naming the file.
 */
import type { Document } from 'yaml';
import { UsageError } from '../errors.js';

/** Alias expansions allowed per document (the yaml library counts uses × nested aliases); configs need a handful. */
export const MAX_YAML_ALIASES = 100;

/** `doc` as plain data; a document whose aliases expand past `maxAliases` is a UsageError naming `where`. */
export function yamlToData(doc: Document, where: string, maxAliases: number = MAX_YAML_ALIASES): unknown {
  try {
    return doc.toJS({ maxAliasCount: maxAliases });
  } catch (err) {
    if (err instanceof ReferenceError && /alias/i.test(err.message)) {
      const why = /Excessive alias count/.test(err.message)
        ? `its aliases expand past ${maxAliases} uses (nested anchors multiply, as in a "billion laughs" document), so mcp-opt will not expand it`
        : err.message;
      throw new UsageError(`${where}: ${why}. Write the values out instead of nested aliases and run again.`, { cause: err });
    }
    throw err;
  }
}
