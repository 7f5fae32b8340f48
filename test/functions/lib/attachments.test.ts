import { describe, expect, it } from 'vitest';
import { ownerOf, parseOwnedKey, sanitizeFileName } from '../../../functions/lib/attachments';
import { OTHER_SUB, OWNER_SUB, cognitoIdentity } from '../../helpers/appsync-lambda-events';

const ID = '0b6f8a52-4c1d-4e3f-9a7b-2d5c8e1f3a60';

describe('sanitizeFileName', () => {
  it('keeps an ordinary name as it is', () => {
    expect(sanitizeFileName('Quarterly report (final) v2.pdf')).toBe('Quarterly report (final) v2.pdf');
  });

  it('keeps letters of any script', () => {
    expect(sanitizeFileName('заметки 日本語.txt')).toBe('заметки 日本語.txt');
  });

  it('drops parent-directory steps', () => {
    expect(sanitizeFileName('../../etc/passwd')).toBe('passwd');
  });

  it('drops a Windows path sent by old browsers', () => {
    expect(sanitizeFileName('C:\\Users\\me\\photo.png')).toBe('photo.png');
  });

  it('normalises full-width dots and slashes before dropping the path', () => {
    expect(sanitizeFileName('．．／．．／secret.txt')).toBe('secret.txt');
  });

  it('composes decomposed accents into one form', () => {
    expect(sanitizeFileName('cafe\u0301.png')).toBe('caf\u00e9.png');
  });

  it('replaces characters that are unsafe in keys and URLs', () => {
    expect(sanitizeFileName('<script>?#%{x}.png')).toBe('_script_____x_.png');
  });

  it('trims trailing dots and spaces', () => {
    expect(sanitizeFileName('notes.txt. . ')).toBe('notes.txt');
  });

  it('collapses runs of spaces', () => {
    expect(sanitizeFileName('  my    file.txt')).toBe('my file.txt');
  });

  it('gives the same name when applied twice', () => {
    const once = sanitizeFileName(' ..\\a//b <c> . ');
    expect(sanitizeFileName(once)).toBe(once);
  });

  it.each(['', '   ', '.', '..', '...', 'folder/', '../'])('rejects %j, which names no file', (name) => {
    expect(() => sanitizeFileName(name)).toThrow('fileName must name a file: it is empty, only dots, or only a path');
  });

  it.each(['a\u0000.png', 'line\nbreak.txt', 'tab\t.txt', 'del\u007f.txt', 'c1\u0085.txt'])(
    'rejects the control character in %j',
    (name) => {
      expect(() => sanitizeFileName(name)).toThrow('fileName must not contain control or text-direction characters');
    },
  );

  it('rejects a right-to-left override that disguises the extension', () => {
    expect(() => sanitizeFileName('invoice\u202egpj.exe')).toThrow(
      'fileName must not contain control or text-direction characters',
    );
  });

  it('rejects a 300-character name', () => {
    expect(() => sanitizeFileName(`${'a'.repeat(296)}.txt`)).toThrow('fileName must be at most 255 bytes long');
  });

  it('accepts a name of exactly 255 bytes', () => {
    const name = `${'a'.repeat(251)}.txt`;
    expect(sanitizeFileName(name)).toBe(name);
  });

  it('counts multi-byte characters in bytes', () => {
    expect(() => sanitizeFileName(`${'é'.repeat(128)}.txt`)).toThrow('fileName must be at most 255 bytes long');
  });

  it('rejects a name that is not a string', () => {
    expect(() => sanitizeFileName(['a.png'])).toThrow('fileName must be a string');
  });

  it('raises a ValidationError', () => {
    expect(() => sanitizeFileName('')).toThrow(expect.objectContaining({ name: 'ValidationError' }));
  });
});

describe('ownerOf', () => {
  it('returns the Cognito sub', () => {
    expect(ownerOf(cognitoIdentity(OWNER_SUB))).toBe(OWNER_SUB);
  });

  it('rejects an identity without a sub', () => {
    expect(() => ownerOf(undefined)).toThrow('A signed-in user pool identity is required');
  });
});

describe('parseOwnedKey', () => {
  it('returns the file name of a key the caller owns', () => {
    expect(parseOwnedKey(`private/${OWNER_SUB}/${ID}/photo.png`, OWNER_SUB)).toEqual({
      key: `private/${OWNER_SUB}/${ID}/photo.png`,
      fileName: 'photo.png',
    });
  });

  it('rejects another owner key as Unauthorized', () => {
    expect(() => parseOwnedKey(`private/${OTHER_SUB}/${ID}/photo.png`, OWNER_SUB)).toThrow(
      expect.objectContaining({ name: 'Unauthorized', message: 'The attachment key is outside your own uploads' }),
    );
  });

  it('rejects a key whose owner only starts with the caller sub', () => {
    expect(() => parseOwnedKey(`private/${OWNER_SUB}x/${ID}/photo.png`, OWNER_SUB)).toThrow(
      'The attachment key is outside your own uploads',
    );
  });

  it('rejects a key outside private/', () => {
    expect(() => parseOwnedKey(`public/${OWNER_SUB}/${ID}/photo.png`, OWNER_SUB)).toThrow(
      'The attachment key is outside your own uploads',
    );
  });

  it.each([
    `private/${OWNER_SUB}/../${OTHER_SUB}/${ID}/photo.png`,
    `private/${OWNER_SUB}/${ID}/../photo.png`,
    `private/${OWNER_SUB}/${ID}/nested/photo.png`,
    `private/${OWNER_SUB}/not-an-id/photo.png`,
    `private/${OWNER_SUB}/${ID}`,
    `private/${OWNER_SUB}/${ID}/`,
    `private/${OWNER_SUB}/${ID}/<dirty>.png`,
  ])('rejects %s, which createUploadUrl could not have issued', (key) => {
    expect(() => parseOwnedKey(key, OWNER_SUB)).toThrow(
      expect.objectContaining({
        name: 'ValidationError',
        message: 'key is not an attachment key issued by createUploadUrl',
      }),
    );
  });

  it.each(['', null, 7])('rejects the key %j', (key) => {
    expect(() => parseOwnedKey(key, OWNER_SUB)).toThrow('key must be a non-empty string');
  });
});
