import { describe, expect, it } from 'vitest';
import { fsReason, isFsError } from '../../src/util/fsReason.js';

const errno = (code: string, message: string): Error => Object.assign(new Error(message), { code, syscall: 'open' });

describe('fsReason', () => {
  it('phrases the errors a write meets, with the code', () => {
    expect(fsReason(errno('ENOSPC', "ENOSPC: no space left on device, write"))).toBe('no space left on device (ENOSPC)');
    expect(fsReason(errno('EROFS', "EROFS: read-only file system, open '/mnt/x'"))).toBe('read-only file system (EROFS)');
    expect(fsReason(errno('EACCES', "EACCES: permission denied, open '/x'"))).toBe('permission denied (EACCES)');
  });

  it("keeps Node's phrase for a code it has no phrase of, and a plain error's message", () => {
    expect(fsReason(errno('ELOOP', "ELOOP: too many symbolic links encountered, open '/x'"))).toBe('too many symbolic links encountered (ELOOP)');
    expect(fsReason(new Error('boom'))).toBe('boom');
  });

  it('tells file-system errors from bugs', () => {
    expect(isFsError(errno('ENOSPC', 'x'))).toBe(true);
    expect(isFsError(new TypeError('x is undefined'))).toBe(false);
  });
});
