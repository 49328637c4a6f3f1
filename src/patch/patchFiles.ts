/**
 * Write a tune's patch documents (RFC 6902 JSON Patch, RFC 7396 merge patch) to the files the
 * patch set names beside the result file, so CI or a reviewer can apply them with any library.
 */
import type { PatchSet } from '../result/tuneResult.js';
import { serializeResult, writeFileAtomic } from '../result/write.js';
import { fsReason } from '../util/fsReason.js';

/**
 * Write every named patch file of `set`. A pair that cannot be written (the folder went away or
 * filled up since the preflight) is no longer named, and a warning is returned: its patches stay in
 * the result's "patch" field.
 */
export function writePatchFiles(set: PatchSet): string | null {
  let warning: string | null = null;
  for (const f of set.files) {
    if (!f.jsonPatchFile || !f.mergePatchFile) continue;
    try {
      writeFileAtomic(f.jsonPatchFile, serializeResult(f.jsonPatch));
      writeFileAtomic(f.mergePatchFile, serializeResult(f.mergePatch));
    } catch (err) {
      f.jsonPatchFile = null;
      f.mergePatchFile = null;
      warning ??= `could not write the patch files beside the result (${fsReason(err)}); the patches are in the result's "patch" field`;
    }
  }
  return warning;
}
