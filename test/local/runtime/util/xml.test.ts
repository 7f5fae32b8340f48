import { describe, expect, it } from 'vitest';
import { xml } from '../../../../local/runtime/realm/utils/xml';

// AppSync's documented examples (docs: "XML helpers in util.xml").
const ONE_POST = `<?xml version="1.0" encoding="UTF-8"?>
<posts>
<post>
    <id>1</id>
    <title>Getting started with GraphQL</title>
</post>
</posts>`;

const TWO_POSTS = `<?xml version="1.0" encoding="UTF-8"?>
<posts>
<post>
  <id>1</id>
  <title>Getting started with GraphQL</title>
</post>
<post>
  <id>2</id>
  <title>Getting started with AppSync</title>
</post>
</posts>`;

describe('util.xml.toMap', () => {
  it('converts the documented single-post example', () => {
    expect(xml.toMap(ONE_POST)).toEqual({ posts: { post: { id: 1, title: 'Getting started with GraphQL' } } });
  });

  it('turns repeated elements into a list, as in the documented two-post example', () => {
    expect(xml.toMap(TWO_POSTS)).toEqual({
      posts: {
        post: [
          { id: 1, title: 'Getting started with GraphQL' },
          { id: 2, title: 'Getting started with AppSync' },
        ],
      },
    });
  });

  it('types text as numbers, booleans and null where it reads as one', () => {
    expect(xml.toMap('<a><n>-12</n><d>1.50</d><e>1e3</e><t>TRUE</t><f>false</f><z>null</z></a>')).toEqual({
      a: { n: -12, d: 1.5, e: 1000, t: true, f: false, z: null },
    });
  });

  it('keeps numbers with leading zeros and other text as strings', () => {
    expect(xml.toMap('<a><zip>01234</zip><v>1.2.3</v><x>0x1F</x><inf>Infinity</inf></a>')).toEqual({
      a: { zip: '01234', v: '1.2.3', x: '0x1F', inf: 'Infinity' },
    });
  });

  it('makes attributes keys, and the text beside them content', () => {
    expect(xml.toMap('<price currency="EUR" exact>12.5</price>')).toEqual({
      price: { currency: 'EUR', exact: '', content: 12.5 },
    });
  });

  it('gives empty elements as empty strings', () => {
    expect(xml.toMap('<a><b/><c></c><d x="1"/></a>')).toEqual({ a: { b: '', c: '', d: { x: 1 } } });
  });

  it('decodes entities and character references, and keeps CDATA as text', () => {
    expect(xml.toMap('<a><b>Tom &amp; Jerry &lt;3 &#233;&#x1F600;</b><c><![CDATA[<raw> & 1]]></c></a>')).toEqual({
      a: { b: 'Tom & Jerry <3 é😀', c: '<raw> & 1' },
    });
  });

  it('skips comments, processing instructions and the doctype', () => {
    const text = '<!DOCTYPE note [<!ENTITY x "y">]><?pi data?><note><!-- hidden --><to>Ann</to></note>';
    expect(xml.toMap(text)).toEqual({ note: { to: 'Ann' } });
  });

  it('collects mixed text around child elements as a content list', () => {
    expect(xml.toMap('<p>Hello <b>big</b> world</p>')).toEqual({ p: { content: ['Hello', 'world'], b: 'big' } });
  });

  it('keeps a tag named __proto__ as a plain key', () => {
    const result = xml.toMap('<a><__proto__>x</__proto__><__proto__>y</__proto__></a>') as Record<
      string,
      Record<string, unknown>
    >;
    expect(Object.getPrototypeOf(result.a)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(result.a, '__proto__')?.value).toEqual(['x', 'y']);
  });

  it('handles UTF-8 text and emoji', () => {
    expect(xml.toMap('<msg lang="日本語">こんにちは 😀</msg>')).toEqual({
      msg: { lang: '日本語', content: 'こんにちは 😀' },
    });
  });

  it('returns an empty object for text without elements', () => {
    expect(xml.toMap('')).toEqual({});
  });

  it('returns null for a null document', () => {
    expect(xml.toMap(null as unknown as string)).toBeNull();
  });

  it.each([
    ['<a><b></a>', 'Mismatched b and a'],
    ['<a>', 'Unclosed tag a'],
    ['<a x="1>', 'Unterminated string'],
    ['</a>', 'Mismatched close tag'],
    ['<a><!-- never closed</a>', 'Unclosed comment'],
  ])('rejects the malformed document %j', (text, message) => {
    expect(() => xml.toMap(text)).toThrow(`util.xml.toMap: invalid XML: ${message}`);
  });

  it('rejects a document that is not a string', () => {
    expect(() => xml.toMap(5 as unknown as string)).toThrow('util.xml.toMap: xml must be a string, got number');
  });
});

describe('util.xml.toJsonString', () => {
  it('gives the object of toMap as JSON text', () => {
    expect(xml.toJsonString(ONE_POST)).toBe('{"posts":{"post":{"id":1,"title":"Getting started with GraphQL"}}}');
  });

  it('encodes the JSON text as a JSON string when asked to', () => {
    expect(xml.toJsonString('<a>1</a>', true)).toBe('"{\\"a\\":1}"');
  });

  it('leaves the JSON text as it is when string encoding is false', () => {
    expect(xml.toJsonString('<a>1</a>', false)).toBe('{"a":1}');
  });
});
