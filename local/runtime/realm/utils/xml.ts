// util.xml: XML to an object, with the conversion rules of org.json's XML.toJSONObject (which AppSync's documented
// examples follow): an element's children and attributes become keys, repeated elements become a list, text that
// reads as a number or boolean becomes one, an element holding only text becomes that text, an empty one ''.
import { describeValue } from './internal/args';

type XmlValue = string | number | boolean | null | XmlObject | XmlValue[];
interface XmlObject {
  [key: string]: XmlValue;
}

const TEXT_KEY = 'content';

class XmlError extends Error {}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&([^;&\s]*);/g, (whole, name: string) => {
    if (ENTITIES[name] !== undefined) return ENTITIES[name];
    const code = /^#x[0-9a-fA-F]+$/.test(name)
      ? parseInt(name.slice(2), 16)
      : /^#[0-9]+$/.test(name)
        ? parseInt(name.slice(1), 10)
        : NaN;
    return Number.isInteger(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/** Text as org.json types it: booleans, null, and numbers without leading zeros; anything else stays text. */
function typedValue(text: string): XmlValue {
  if (text === '') return text;
  const lower = text.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  if (lower === 'null') return null;
  if (/^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) && /[.eE]/.test(text)) return Number(text) + 0;
  if (/^-?(0|[1-9]\d*)$/.test(text)) return text === '-0' ? -0 : Number(text);
  return text;
}

// Defined, not assigned: a tag may be named '__proto__', and assigning that name would replace the prototype.
function setOwn(target: XmlObject, key: string, value: XmlValue): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function accumulate(target: XmlObject, key: string, value: XmlValue): void {
  if (!Object.prototype.hasOwnProperty.call(target, key)) return setOwn(target, key, value);
  const existing = target[key];
  if (Array.isArray(existing)) existing.push(value);
  else setOwn(target, key, [existing, value]);
}

/** Trims as Java's String#trim does: every character up to U+0020. */
function javaTrim(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) <= 0x20) start += 1;
  while (end > start && text.charCodeAt(end - 1) <= 0x20) end -= 1;
  return text.slice(start, end);
}

class XmlReader {
  private pos = 0;

  constructor(private readonly source: string) {}

  private fail(message: string): never {
    throw new XmlError(`${message} at character ${this.pos}`);
  }

  /** The whole document as an object. Text outside elements is ignored. */
  document(): XmlObject {
    const root: XmlObject = {};
    for (;;) {
      const next = this.source.indexOf('<', this.pos);
      if (next < 0) return root;
      this.pos = next + 1;
      if (this.pos >= this.source.length) return root;
      if (this.markupOrElement(root) !== undefined) this.fail('Mismatched close tag');
    }
  }

  /**
   * Reads what follows a '<': a comment, CDATA, declaration or processing instruction, a closing tag (whose name is
   * returned), or a whole element (added to `parent`).
   */
  private markupOrElement(parent: XmlObject): string | undefined {
    const { source } = this;
    if (source.startsWith('!--', this.pos)) {
      this.skipPast('-->', 'Unclosed comment');
    } else if (source.startsWith('![CDATA[', this.pos)) {
      this.pos += 8;
      const end = source.indexOf(']]>', this.pos);
      if (end < 0) this.fail('Unclosed CDATA');
      const text = source.slice(this.pos, end);
      this.pos = end + 3;
      if (text.length > 0) accumulate(parent, TEXT_KEY, text);
    } else if (source[this.pos] === '!') {
      this.skipDeclaration();
    } else if (source[this.pos] === '?') {
      this.skipPast('?>', 'Unclosed processing instruction');
    } else if (source[this.pos] === '/') {
      this.pos += 1;
      const name = this.name();
      this.skipSpace();
      if (source[this.pos] !== '>') this.fail(`Misshaped close tag ${name}`);
      this.pos += 1;
      return name;
    } else {
      this.element(parent);
    }
    return undefined;
  }

  private skipPast(end: string, message: string): void {
    const index = this.source.indexOf(end, this.pos);
    if (index < 0) this.fail(message);
    this.pos = index + end.length;
  }

  /** <!DOCTYPE ...> and the like, which may nest angle brackets. */
  private skipDeclaration(): void {
    let depth = 1;
    while (depth > 0) {
      const char = this.source[this.pos];
      if (char === undefined) this.fail('Unclosed declaration');
      if (char === '<') depth += 1;
      if (char === '>') depth -= 1;
      this.pos += 1;
    }
  }

  private skipSpace(): void {
    while (/\s/.test(this.source[this.pos] ?? '')) this.pos += 1;
  }

  private name(): string {
    const match = /^[^\s<>/=!?'"]+/.exec(this.source.slice(this.pos, this.pos + 1000));
    if (!match) this.fail('Misshaped element');
    this.pos += match[0].length;
    return match[0];
  }

  private attributeValue(): string {
    const quote = this.source[this.pos];
    if (quote === '"' || quote === "'") {
      const end = this.source.indexOf(quote, this.pos + 1);
      if (end < 0) this.fail('Unterminated string');
      const value = this.source.slice(this.pos + 1, end);
      this.pos = end + 1;
      return decodeEntities(value);
    }
    return decodeEntities(this.name());
  }

  private element(parent: XmlObject): void {
    const tagName = this.name();
    const element: XmlObject = {};
    for (;;) {
      this.skipSpace();
      const char = this.source[this.pos];
      if (char === undefined) this.fail(`Unclosed tag ${tagName}`);
      if (this.source.startsWith('/>', this.pos)) {
        this.pos += 2;
        accumulate(parent, tagName, Object.keys(element).length > 0 ? element : '');
        return;
      }
      if (char === '>') {
        this.pos += 1;
        break;
      }
      const attribute = this.name();
      this.skipSpace();
      if (this.source[this.pos] === '=') {
        this.pos += 1;
        this.skipSpace();
        accumulate(element, attribute, typedValue(this.attributeValue()));
      } else {
        accumulate(element, attribute, '');
      }
    }
    this.content(tagName, element);
    accumulate(parent, tagName, this.collapse(element));
  }

  /** Text and child elements up to the closing tag of `tagName`. */
  private content(tagName: string, element: XmlObject): void {
    for (;;) {
      const next = this.source.indexOf('<', this.pos);
      const text = javaTrim(decodeEntities(this.source.slice(this.pos, next < 0 ? this.source.length : next)));
      if (text.length > 0) accumulate(element, TEXT_KEY, typedValue(text));
      if (next < 0) this.fail(`Unclosed tag ${tagName}`);
      this.pos = next + 1;
      const closed = this.markupOrElement(element);
      if (closed !== undefined) {
        if (closed !== tagName) this.fail(`Mismatched ${tagName} and ${closed}`);
        return;
      }
    }
  }

  private collapse(element: XmlObject): XmlValue {
    const keys = Object.keys(element);
    if (keys.length === 0) return '';
    if (keys.length === 1 && keys[0] === TEXT_KEY) return element[TEXT_KEY];
    return element;
  }
}

function parse(fn: string, xml: unknown): XmlObject | null {
  if (xml === null || xml === undefined) return null;
  if (typeof xml !== 'string') throw new TypeError(`${fn}: xml must be a string, got ${describeValue(xml)}`);
  try {
    return new XmlReader(xml).document();
  } catch (error) {
    if (error instanceof XmlError) throw new SyntaxError(`${fn}: invalid XML: ${error.message}`);
    throw error;
  }
}

function toMap(xml: string): XmlObject | null {
  return parse('util.xml.toMap', xml);
}

/** The object of toMap as JSON text; with `stringEncode`, that text is itself encoded as a JSON string. */
function toJsonString(xml: string, stringEncode?: boolean): string {
  const json = JSON.stringify(parse('util.xml.toJsonString', xml));
  return stringEncode === true ? JSON.stringify(json) : json;
}

export const xml = { toMap, toJsonString };
