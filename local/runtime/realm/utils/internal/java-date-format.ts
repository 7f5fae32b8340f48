// Formats instants with java.time DateTimeFormatter patterns, as DateTimeFormatter.ofPattern(p) with the en_US
// locale prints a ZonedDateTime.
import {
  civilFromDays,
  dayOfYear,
  isoDayOfWeek,
  localizedDayOfWeek,
  MILLIS_PER_DAY,
  weekBasedYearAndWeek,
  weekOfMonth,
} from './calendar';
import { compilePattern, type FieldToken, type Token } from './java-date-pattern';
import type { Zone } from './zones';

export const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
/** Monday first, as ISO numbers the days. */
export const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
export const QUARTERS = ['1st quarter', '2nd quarter', '3rd quarter', '4th quarter'];
export const ERAS = { short: ['BC', 'AD'], full: ['Before Christ', 'Anno Domini'], narrow: ['B', 'A'] };
export const AM_PM = ['AM', 'PM'];

/** Text of a field by pattern count: 1-3 short, 4 full, 5 narrow. */
export function textStyle(count: number): 'short' | 'full' | 'narrow' {
  if (count === 4) return 'full';
  return count === 5 ? 'narrow' : 'short';
}

export function styledText(full: string, style: 'short' | 'full' | 'narrow'): string {
  if (style === 'full') return full;
  return style === 'narrow' ? full[0] : full.slice(0, 3);
}

/** Offset patterns of DateTimeFormatterBuilder.appendOffset, indexed as Java indexes them. */
export const OFFSET_PATTERNS = [
  '+HH',
  '+HHmm',
  '+HH:mm',
  '+HHMM',
  '+HH:MM',
  '+HHMMss',
  '+HH:MM:ss',
  '+HHMMSS',
  '+HH:MM:SS',
  '+HHmmss',
  '+HH:mm:ss',
];

/** [offset pattern, text for a zero offset] of an X, x or Z field, or undefined for the localized 'ZZZZ'. */
export function offsetStyle(letter: string, count: number): [string, string] | undefined {
  const patterns = ['+HHmm', '+HHMM', '+HH:MM', '+HHMMss', '+HH:MM:ss'];
  if (letter === 'X') return [patterns[count - 1], 'Z'];
  if (letter === 'x') return [patterns[count - 1], ['+00', '+0000', '+00:00', '+0000', '+00:00'][count - 1]];
  if (count <= 3) return ['+HHMM', '+0000'];
  return count === 5 ? ['+HH:MM:ss', 'Z'] : undefined;
}

export class DateTimeFormatError extends Error {}

interface DateTimeFields {
  epochDay: number;
  year: number;
  month: number;
  day: number;
  millisOfDay: number;
  offsetSeconds: number;
  zone: Zone;
  epochMillis: number;
}

function fieldsAt(epochMillis: number, zone: Zone): DateTimeFields {
  const offsetSeconds = zone.offsetAt(epochMillis);
  const local = epochMillis + offsetSeconds * 1000;
  const epochDay = Math.floor(local / MILLIS_PER_DAY);
  const date = civilFromDays(epochDay);
  return { ...date, epochDay, millisOfDay: local - epochDay * MILLIS_PER_DAY, offsetSeconds, zone, epochMillis };
}

function pad(value: number, width: number): string {
  const digits = String(Math.abs(value)).padStart(width, '0');
  return value < 0 ? '-' + digits : digits;
}

/** A year as y/u/Y print it: 'yy' is the last two digits, four or more letters put '+' on a longer year. */
function formatYear(value: number, count: number): string {
  if (count === 2) return pad(Math.abs(value) % 100, 2);
  const text = pad(value, count);
  return count >= 4 && value > 0 && String(value).length > count ? '+' + text : text;
}

function formatNumberOrText(value: number, count: number, texts: string[] | undefined): string {
  if (count <= 2 || texts === undefined) return pad(value, count);
  return styledText(texts[value - 1], textStyle(count));
}

/** DateTimeFormatterBuilder's OffsetIdPrinterParser#format. */
export function formatOffset(totalSeconds: number, pattern: string, noOffsetText: string): string {
  if (totalSeconds === 0) return noOffsetText;
  const type = OFFSET_PATTERNS.indexOf(pattern);
  const colon = pattern.includes(':') ? ':' : '';
  const hours = Math.abs(Math.trunc(totalSeconds / 3600) % 100);
  const minutes = Math.abs(Math.trunc(totalSeconds / 60) % 60);
  const seconds = Math.abs(totalSeconds % 60);
  let text = (totalSeconds < 0 ? '-' : '+') + pad(hours, 2);
  let output = hours;
  if ((type >= 3 && type <= 8) || (type >= 9 && seconds > 0) || (type >= 1 && minutes > 0)) {
    text += colon + pad(minutes, 2);
    output += minutes;
    if (type === 7 || type === 8 || (type >= 5 && seconds > 0)) {
      text += colon + pad(seconds, 2);
      output += seconds;
    }
  }
  return output === 0 ? noOffsetText : text;
}

/** 'GMT+8' (short) or 'GMT+08:00' (full), as the O and ZZZZ fields print an offset. */
export function formatLocalizedOffset(totalSeconds: number, full: boolean): string {
  if (totalSeconds === 0) return 'GMT';
  const hours = Math.abs(Math.trunc(totalSeconds / 3600) % 100);
  const minutes = Math.abs(Math.trunc(totalSeconds / 60) % 60);
  const seconds = Math.abs(totalSeconds % 60);
  let text = 'GMT' + (totalSeconds < 0 ? '-' : '+');
  if (full) return text + pad(hours, 2) + ':' + pad(minutes, 2) + (seconds ? ':' + pad(seconds, 2) : '');
  text += String(hours);
  if (minutes || seconds) text += ':' + pad(minutes, 2) + (seconds ? ':' + pad(seconds, 2) : '');
  return text;
}

function formatField(token: FieldToken, f: DateTimeFields): string {
  const { letter, count } = token;
  const hour = Math.floor(f.millisOfDay / 3_600_000);
  const nanoOfSecond = (f.millisOfDay % 1000) * 1_000_000;
  switch (letter) {
    case 'G':
      return ERAS[textStyle(count)][f.year > 0 ? 1 : 0];
    case 'u':
      return formatYear(f.year, count);
    case 'y':
      return formatYear(f.year > 0 ? f.year : 1 - f.year, count);
    case 'Y':
      return formatYear(weekBasedYearAndWeek(f.epochDay)[0], count);
    case 'Q':
    case 'q': {
      const quarter = Math.floor((f.month - 1) / 3) + 1;
      if (count === 3) return 'Q' + quarter;
      if (count === 4) return QUARTERS[quarter - 1];
      return count === 5 ? String(quarter) : pad(quarter, count);
    }
    case 'M':
    case 'L':
      return formatNumberOrText(f.month, count, MONTHS);
    case 'w':
      return pad(weekBasedYearAndWeek(f.epochDay)[1], count);
    case 'W':
      return String(weekOfMonth(f.epochDay));
    case 'D':
      return pad(dayOfYear(f), count);
    case 'd':
      return pad(f.day, count);
    case 'E':
      return styledText(DAYS[isoDayOfWeek(f.epochDay) - 1], textStyle(count));
    case 'e':
    case 'c':
      if (count <= 2) return pad(localizedDayOfWeek(f.epochDay), count);
      return styledText(DAYS[isoDayOfWeek(f.epochDay) - 1], textStyle(count));
    case 'a':
      return AM_PM[hour < 12 ? 0 : 1];
    case 'h':
      return pad(hour % 12 === 0 ? 12 : hour % 12, count);
    case 'K':
      return pad(hour % 12, count);
    case 'k':
      return pad(hour === 0 ? 24 : hour, count);
    case 'H':
      return pad(hour, count);
    case 'm':
      return pad(Math.floor(f.millisOfDay / 60_000) % 60, count);
    case 's':
      return pad(Math.floor(f.millisOfDay / 1000) % 60, count);
    case 'S':
      return String(nanoOfSecond).padStart(9, '0').slice(0, count);
    case 'A':
      return pad(f.millisOfDay, count);
    case 'n':
      return pad(nanoOfSecond, count);
    case 'N':
      return pad(f.millisOfDay * 1_000_000, count);
    case 'V':
      return f.zone.id;
    case 'z':
      return f.zone.isOffset ? f.zone.id : f.zone.displayName(f.epochMillis, count === 4 ? 'long' : 'short');
    case 'O':
      return formatLocalizedOffset(f.offsetSeconds, count === 4);
    case 'X':
    case 'x':
    case 'Z': {
      const style = offsetStyle(letter, count);
      return style ? formatOffset(f.offsetSeconds, style[0], style[1]) : formatLocalizedOffset(f.offsetSeconds, true);
    }
    default:
      throw new DateTimeFormatError(`Unknown pattern letter: ${letter}`);
  }
}

function formatTokens(tokens: Token[], fields: DateTimeFields): string {
  let out = '';
  for (const token of tokens) {
    if (token.kind === 'literal') out += token.text;
    else if (token.kind === 'field') out += formatField(token, fields);
    else out += formatTokens(token.tokens, fields);
  }
  return out;
}

/** The instant formatted with a DateTimeFormatter pattern, in the given zone. */
export function formatInstant(epochMillis: number, pattern: string, zone: Zone): string {
  return formatTokens(compilePattern(pattern), fieldsAt(epochMillis, zone));
}
