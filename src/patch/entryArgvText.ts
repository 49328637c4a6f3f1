/**
 * Setting a client config entry's whole launch argv (`command` and `args`) in the file's text,
 * changing only what differs: in JSON the new argv is spliced in as the shortest edit between the
 * old and new `args` items (wrapping `node server.js` inserts one run of items before the first
 * argument; unwrapping deletes exactly that run), with no formatter pass, since jsonc-parser's
 * `modify` re-lays-out the lines it touches (an inline entry would be spread over many lines).
 * So wrap and unwrap give back the file's bytes. YAML goes through editText (comments kept).
 */
import { findNodeAtLocation, parseTree, type Node } from 'jsonc-parser';
import { editConfigText } from './editText.js';
import { splitBom } from './formats.js';
import { formatPointer } from './jsonPointer.js';

/** A replacement of text[start, end). */
interface Splice {
  /** First offset replaced. */
  start: number;
  /** Offset after the last one replaced. */
  end: number;
  /** The text put there. */
  text: string;
}

/** Set the entry at `entryPath` (e.g. ['mcpServers', 'docs']) to launch `argv` (command first). */
export function setEntryArgv(text: string, format: 'json' | 'jsonc' | 'yaml', entryPath: readonly string[], argv: readonly string[], path: string): string {
  const [command, ...args] = argv;
  if (format === 'yaml') {
    return editConfigText(text, 'yaml', [
      { pointer: formatPointer([...entryPath, 'command']), value: command },
      { pointer: formatPointer([...entryPath, 'args']), value: args },
    ], { path, allowCreate: true });
  }
  const { bom, body } = splitBom(text);
  const root = parseTree(body, [], { allowTrailingComma: true })!;
  const commandNode = findNodeAtLocation(root, [...entryPath, 'command']);
  const argsNode = findNodeAtLocation(root, [...entryPath, 'args']);
  const splices: Splice[] = [];
  if (commandNode && commandNode.value !== command) splices.push(replaceNode(commandNode, JSON.stringify(command)));
  if (argsNode?.type === 'array') {
    if (args.length === 0 && argsNode.children?.length) splices.push(removeProperty(argsNode.parent!));
    else splices.push(...arrayEdit(body, argsNode, args));
  }
  let out = body;
  for (const s of splices.sort((a, b) => b.start - a.start)) out = out.slice(0, s.start) + s.text + out.slice(s.end);
  // A missing key (command or args) is added by the line-wise inserter, in the file's own layout.
  const missing = [
    ...(commandNode ? [] : [{ pointer: formatPointer([...entryPath, 'command']), value: command }]),
    ...(argsNode || !args.length ? [] : [{ pointer: formatPointer([...entryPath, 'args']), value: args }]),
  ];
  if (missing.length) out = editConfigText(out, 'jsonc', missing, { path, allowCreate: true });
  return bom + out;
}

/** Replace a node's text. */
function replaceNode(node: Node, text: string): Splice {
  return { start: node.offset, end: node.offset + node.length, text };
}

/** Remove an object property with the comma that joined it to its neighbour (as jsonc-parser does, without reformatting). */
function removeProperty(property: Node): Splice {
  const object = property.parent!;
  const siblings = object.children!;
  const i = siblings.indexOf(property);
  const end = property.offset + property.length;
  if (i > 0) {
    const prev = siblings[i - 1]!;
    return { start: prev.offset + prev.length, end, text: '' };
  }
  return { start: object.offset + 1, end: siblings.length > 1 ? siblings[1]!.offset : end, text: '' };
}

/**
 * The edit turning the array's string items into `next`: the items both share at the start and
 * at the end stay untouched; the middle is replaced. Items inserted before a kept item go on one
 * line, followed by the separator that item had (a line break stays a line break); a changed tail
 * is separated as the items it follows. No comma is left trailing (JSON.parse would refuse it).
 */
function arrayEdit(text: string, array: Node, next: readonly string[]): Splice[] {
  const items = array.children ?? [];
  const old = items.map((n) => n.value as unknown);
  const json = (v: string): string => JSON.stringify(v);
  if (!items.length) return [replaceNode(array, `[${next.map(json).join(', ')}]`)];
  let p = 0;
  while (p < old.length && p < next.length && old[p] === next[p]) p++;
  let s = 0;
  while (s < old.length - p && s < next.length - p && old[old.length - 1 - s] === next[next.length - 1 - s]) s++;
  const middle = next.slice(p, next.length - s).map(json);
  if (p + s === old.length && !middle.length) return [];
  if (s > 0) {
    const anchor = items[old.length - s]!;
    const start = p < old.length - s ? items[p]!.offset : anchor.offset;
    return [{ start, end: anchor.offset, text: middle.length ? `${middle.join(', ')},${gapBefore(text, array, old.length - s)}` : '' }];
  }
  const end = items.at(-1)!.offset + items.at(-1)!.length;
  // The tail changes: new items are separated as the items they follow or replace were.
  if (!middle.length) return [{ start: p > 0 ? items[p - 1]!.offset + items[p - 1]!.length : items[0]!.offset, end, text: '' }];
  if (p < old.length) return [{ start: items[p]!.offset, end, text: middle.join(`,${gapBefore(text, array, p)}`) }];
  return [{ start: end, end, text: middle.map((m) => `,${gapBefore(text, array, old.length - 1)}${m}`).join('') }];
}

/** The whitespace right before item `i` (after a comment, if one is there): kept when it breaks the line, else one space. */
function gapBefore(text: string, array: Node, i: number): string {
  const items = array.children!;
  const from = i > 0 ? items[i - 1]!.offset + items[i - 1]!.length : array.offset + 1;
  const gap = /\s*$/.exec(text.slice(from, items[i]!.offset))![0];
  return gap.includes('\n') ? gap : ' ';
}
