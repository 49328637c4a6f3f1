import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writePatchFiles } from '../../src/patch/patchFiles.js';
import type { PatchSet } from '../../src/result/tuneResult.js';

/** A patch set of one entry whose files are named under `dir`. */
function setIn(dir: string): PatchSet {
  return {
    files: [{
      target: 'server config srv.json',
      jsonPatch: [{ op: 'replace', path: '/pool/max', value: 8 }],
      mergePatch: { pool: { max: 8 } },
      jsonPatchFile: join(dir, 'tune.server-config-srv.json.json-patch.json'),
      mergePatchFile: join(dir, 'tune.server-config-srv.json.merge-patch.json'),
    }],
  };
}

describe('writePatchFiles', () => {
  it('writes each named JSON Patch and merge patch document', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-opt-patchfiles-'));
    const set = setIn(dir);
    expect(writePatchFiles(set)).toBeNull();
    const [f] = set.files;
    expect(JSON.parse(readFileSync(f!.jsonPatchFile!, 'utf8'))).toEqual(f!.jsonPatch);
    expect(JSON.parse(readFileSync(f!.mergePatchFile!, 'utf8'))).toEqual(f!.mergePatch);
  });

  it('a folder that cannot be written: the entry is no longer named and a warning says the patches are in the result', () => {
    // The result's folder is now a file: nothing can be written under it (ENOTDIR).
    const dir = join(mkdtempSync(join(tmpdir(), 'mcp-opt-patchfiles-')), 'taken');
    writeFileSync(dir, '');
    const set = setIn(dir);
    const planned = set.files[0]!.jsonPatchFile!;
    expect(writePatchFiles(set)).toMatch(/could not write the patch files beside the result \(.*\); the patches are in the result's "patch" field/);
    expect(set.files[0]).toMatchObject({ jsonPatchFile: null, mergePatchFile: null });
    expect(existsSync(planned)).toBe(false);
  });
});
