import { describe, expect, it } from '@jest/globals';
import { describeFsError, describeLinkError, errorCode } from './describe-fs-error.js';

const errno = (code: string) => Object.assign(new Error(`${code}: failed`), { code });

describe('describeFsError', () => {
  it('says why in words for common codes', () => {
    expect(describeFsError(errno('ENOENT'))).toBe('it does not exist');
    expect(describeFsError(errno('EACCES'))).toBe('permission denied');
    expect(describeFsError(errno('ELOOP'))).toMatch(/^symlink loop/);
  });

  it('falls back to the code, then the message', () => {
    expect(describeFsError(errno('EIO'))).toBe('EIO');
    expect(describeFsError(new Error('odd'))).toBe('odd');
    expect(describeFsError('odd')).toBe('odd');
  });
});

describe('describeLinkError', () => {
  it('calls ENOENT a broken symlink', () => {
    expect(describeLinkError(errno('ENOENT'))).toBe('broken symlink (its target does not exist)');
    expect(describeLinkError(errno('ELOOP'))).toMatch(/^symlink loop/);
  });
});

describe('errorCode', () => {
  it('returns the errno code, when there is one', () => {
    expect(errorCode(errno('ENOTDIR'))).toBe('ENOTDIR');
    expect(errorCode(new Error('x'))).toBeUndefined();
    expect(errorCode(undefined)).toBeUndefined();
  });
});
