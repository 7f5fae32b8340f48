import { describe, expect, it } from 'vitest';
import { ownerOf, parseNoteFileKey, parseStagedKey, sanitizeFileName } from '../../../functions/lib/attachments';
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

const NOTE = '01JDQ5Y0Z8K3M7N2P4R6S8T0VW';

describe('parseStagedKey', () => {
  it('returns the upload id and file name of an upload the caller made', () => {
    expect(parseStagedKey(`uploads/${OWNER_SUB}/${ID}/photo.png`, OWNER_SUB)).toEqual({
      key: `uploads/${OWNER_SUB}/${ID}/photo.png`,
      uploadId: ID,
      fileName: 'photo.png',
    });
  });

  it.each([
    ['another owner', `uploads/${OTHER_SUB}/${ID}/photo.png`],
    ['an owner that only starts with the caller sub', `uploads/${OWNER_SUB}x/${ID}/photo.png`],
    ['a note file, even the caller’s own', `private/${OWNER_SUB}/${NOTE}/${ID}/photo.png`],
    ['anywhere else', `public/${OWNER_SUB}/${ID}/photo.png`],
  ])('rejects the upload of %s as Unauthorized', (_, key) => {
    expect(() => parseStagedKey(key, OWNER_SUB)).toThrow(
      expect.objectContaining({ name: 'Unauthorized', message: 'The upload key is outside your own uploads' }),
    );
  });

  it.each([
    `uploads/${OWNER_SUB}/../${OTHER_SUB}/${ID}/photo.png`,
    `uploads/${OWNER_SUB}/${ID}/../photo.png`,
    `uploads/${OWNER_SUB}/${ID}/nested/photo.png`,
    `uploads/${OWNER_SUB}/not-an-id/photo.png`,
    `uploads/${OWNER_SUB}/${ID}`,
    `uploads/${OWNER_SUB}/${ID}/`,
    `uploads/${OWNER_SUB}/${ID}/<dirty>.png`,
  ])('rejects %s, which createUploadUrl could not have issued', (key) => {
    expect(() => parseStagedKey(key, OWNER_SUB)).toThrow(expect.objectContaining({ name: 'ValidationError' }));
  });

  it.each(['', null, 7])('rejects the key %j', (key) => {
    expect(() => parseStagedKey(key, OWNER_SUB)).toThrow('key must be a non-empty string');
  });
});

describe('parseNoteFileKey', () => {
  it('returns the note and file name of a note file', () => {
    expect(parseNoteFileKey(`private/${OWNER_SUB}/${NOTE}/${ID}/photo.png`, OWNER_SUB)).toEqual({
      key: `private/${OWNER_SUB}/${NOTE}/${ID}/photo.png`,
      noteId: NOTE,
      fileName: 'photo.png',
    });
  });

  it('accepts a file of a note made before files were copied per note, with no note id', () => {
    expect(parseNoteFileKey(`private/${OWNER_SUB}/${ID}/photo.png`, OWNER_SUB)).toMatchObject({ noteId: null });
  });

  it('rejects another owner’s file as Unauthorized', () => {
    expect(() => parseNoteFileKey(`private/${OTHER_SUB}/${NOTE}/${ID}/photo.png`, OWNER_SUB)).toThrow(
      expect.objectContaining({ name: 'Unauthorized' }),
    );
  });

  it.each([
    `private/${OWNER_SUB}/${NOTE}/../${ID}/photo.png`,
    `private/${OWNER_SUB}/not-a-note/${ID}/photo.png`,
    `private/${OWNER_SUB}/${NOTE}/${ID}/nested/photo.png`,
    `private/${OWNER_SUB}/${NOTE}/${ID}/`,
  ])('rejects %s', (key) => {
    expect(() => parseNoteFileKey(key, OWNER_SUB)).toThrow(expect.objectContaining({ name: 'ValidationError' }));
  });
});
