// Parses text with java.time DateTimeFormatter patterns into epoch milliseconds, the way
// ZonedDateTime.parse(text, DateTimeFormatter.ofPattern(p).withZone(zone)) does with the en_US locale and the
// default SMART resolver: case-sensitive, adjacent numbers split by width, an offset in the text wins over the zone.
import {
  civilFromDays,
  dayOfYear,
  daysFromCivil,
  daysFromWeekFields,
  isLeapYear,
  isoDayOfWeek,
  localizedDayOfWeek,
  MILLIS_PER_DAY,
  monthLength,
  weekBasedYearAndWeek,
} from './calendar';
import {
  AM_PM,
  DAYS,
  ERAS,
  MONTHS,
  offsetStyle,
  OFFSET_PATTERNS,
  QUARTERS,
  styledText,
  textStyle,
} from './java-date-format';
import { compilePattern, type FieldToken, type Token } from './java-date-pattern';
import { instantOfLocal, parseOffset, resolveZone, ZoneError, type Zone } from './zones';

export class DateTimeParseError extends Error {}

type Fields = Map<string, number>;

interface ParseContext {
  text: string;
  fields: Fields;
  zone?: Zone;
}

/** A failed parse: the index where the text stopped matching. */
class Mismatch {
  constructor(readonly index: number) {}
}

interface NumberSpec {
  min: number;
  max: number;
  sign: 'normal' | 'exceedsPad' | 'notNegative';
  reduced?: boolean;
  fraction?: boolean;
}

const FIELD_OF_LETTER: Record<string, string> = {
  G: 'era',
  u: 'year',
  y: 'yearOfEra',
  Y: 'weekBasedYear',
  Q: 'quarter',
  q: 'quarter',
  M: 'month',
  L: 'month',
  w: 'weekOfWeekBasedYear',
  W: 'weekOfMonth',
  D: 'dayOfYear',
  d: 'dayOfMonth',
  E: 'dayOfWeek',
  e: 'localizedDayOfWeek',
  c: 'localizedDayOfWeek',
  a: 'amPm',
  h: 'clockHourOfAmPm',
  K: 'hourOfAmPm',
  k: 'clockHourOfDay',
  H: 'hourOfDay',
  m: 'minuteOfHour',
  s: 'secondOfMinute',
  S: 'nanoOfSecond',
  A: 'milliOfDay',
  n: 'nanoOfSecond',
  N: 'nanoOfDay',
};

/** How a numeric field is read, mirroring the appendValue calls DateTimeFormatterBuilder makes for the pattern. */
function numberSpec(token: FieldToken): NumberSpec | undefined {
  const { letter, count } = token;
  if (letter === 'S') return { min: count, max: count, sign: 'notNegative', fraction: true };
  if ('yuY'.includes(letter)) {
    if (count === 2) return { min: 2, max: 2, sign: 'notNegative', reduced: true };
    return { min: count, max: 19, sign: count >= 4 ? 'exceedsPad' : 'normal' };
  }
  const textual = 'MLQqec'.includes(letter) && count >= 3;
  if (textual || !FIELD_OF_LETTER[letter] || 'GEa'.includes(letter)) return undefined;
  if (count === 1) return { min: 1, max: 19, sign: 'normal' };
  if (letter === 'D' && count === 2) return { min: 2, max: 3, sign: 'notNegative' };
  if ('AnN'.includes(letter)) return { min: count, max: 19, sign: 'notNegative' };
  return { min: count, max: count, sign: 'notNegative' };
}

function isFixedWidth(token: Token): boolean {
  if (token.kind !== 'field') return false;
  const spec = numberSpec(token);
  return spec !== undefined && spec.min === spec.max && spec.sign === 'notNegative';
}

function isDigit(char: string | undefined): boolean {
  return char !== undefined && char >= '0' && char <= '9';
}

function setField(context: ParseContext, name: string, value: number, start: number): void {
  const old = context.fields.get(name);
  if (old !== undefined && old !== value) throw new Mismatch(start);
  context.fields.set(name, value);
}

function parseNumber(context: ParseContext, pos: number, spec: NumberSpec, subsequentWidth: number): [number, number] {
  const { text } = context;
  let sign = 0;
  let p = pos;
  if (text[p] === '+') {
    if (spec.sign !== 'exceedsPad') throw new Mismatch(pos);
    sign = 1;
    p += 1;
  } else if (text[p] === '-') {
    if (spec.sign === 'notNegative') throw new Mismatch(pos);
    sign = -1;
    p += 1;
  }
  let available = 0;
  while (isDigit(text[p + available])) available += 1;
  const limit = Math.min(available, spec.max + subsequentWidth);
  if (limit < spec.min) throw new Mismatch(pos);
  const width = subsequentWidth > 0 ? Math.max(spec.min, limit - subsequentWidth) : limit;
  if (spec.sign === 'exceedsPad' && ((sign === 1 && width <= spec.min) || (sign === 0 && width > spec.min))) {
    throw new Mismatch(pos);
  }
  const digits = text.slice(p, p + width);
  if (sign === -1 && Number(digits) === 0) throw new Mismatch(pos);
  if (spec.fraction) return [Number(digits.padEnd(9, '0')), p + width];
  let value = Number(digits) * (sign === -1 ? -1 : 1);
  if (spec.reduced) value += 2000;
  return [value, p + width];
}

/** The longest of `options` found at `pos` (case-sensitive), as [value, index after it]. */
function parseText(context: ParseContext, pos: number, options: [string, number][]): [number, number] {
  let best: [string, number] | undefined;
  for (const option of options) {
    if (context.text.startsWith(option[0], pos) && (!best || option[0].length > best[0].length)) best = option;
  }
  if (!best) throw new Mismatch(pos);
  return [best[1], pos + best[0].length];
}

function textOptions(names: string[], count: number, firstValue = 1): [string, number][] {
  return names.map((name, index) => [styledText(name, textStyle(count)), index + firstValue]);
}

function textualOptions(token: FieldToken): [string, number][] {
  const { letter, count } = token;
  switch (letter) {
    case 'G':
      return ERAS[textStyle(count)].map((name, index) => [name, index]);
    case 'M':
    case 'L':
      return textOptions(MONTHS, count);
    case 'E':
    case 'e':
    case 'c':
      return textOptions(DAYS, count);
    case 'a':
      return AM_PM.map((name, index) => [name, index]);
    default: // Q, q
      if (count === 3) return [1, 2, 3, 4].map((quarter) => ['Q' + quarter, quarter]);
      if (count === 4) return QUARTERS.map((name, index) => [name, index + 1]);
      return [1, 2, 3, 4].map((quarter) => [String(quarter), quarter]);
  }
}

/** Two digits at `pos`, or undefined. */
function twoDigits(text: string, pos: number): number | undefined {
  return isDigit(text[pos]) && isDigit(text[pos + 1]) ? Number(text.slice(pos, pos + 2)) : undefined;
}

/** DateTimeFormatterBuilder's OffsetIdPrinterParser#parse in strict mode; returns [offset seconds, next index]. */
export function parseOffsetPattern(text: string, pos: number, pattern: string, noOffsetText: string): [number, number] {
  if (text.startsWith(noOffsetText, pos)) return [0, pos + noOffsetText.length];
  const sign = text[pos];
  if (sign !== '+' && sign !== '-') throw new Mismatch(pos);
  const type = OFFSET_PATTERNS.indexOf(pattern);
  const colon = pattern.includes(':') ? ':' : '';
  let p = pos + 1;
  const hours = twoDigits(text, p);
  if (hours === undefined) throw new Mismatch(pos);
  p += 2;
  let minutes = 0;
  let seconds = 0;
  const readPart = (required: boolean): number | undefined => {
    const start = p + colon.length;
    const value = text.startsWith(colon, p) ? twoDigits(text, start) : undefined;
    if (value === undefined) {
      if (required) throw new Mismatch(pos);
      return undefined;
    }
    p = start + 2;
    return value;
  };
  if (type >= 1) {
    const minutesRequired = type >= 3 && type <= 8;
    const parsedMinutes = readPart(minutesRequired);
    minutes = parsedMinutes ?? 0;
    if (parsedMinutes !== undefined && type >= 5) seconds = readPart(type === 7 || type === 8) ?? 0;
  }
  if (hours > 23 || minutes > 59 || seconds > 59) throw new Mismatch(pos);
  const total = hours * 3600 + minutes * 60 + seconds;
  return [sign === '-' ? -total : total, p];
}

/** 'GMT', 'GMT+8', 'GMT+08:00': the O and ZZZZ fields. */
function parseLocalizedOffset(text: string, pos: number, full: boolean): [number, number] {
  if (!text.startsWith('GMT', pos)) throw new Mismatch(pos);
  let p = pos + 3;
  const sign = text[p];
  if (sign !== '+' && sign !== '-') return [0, p];
  p += 1;
  let hourDigits = 0;
  while (hourDigits < 2 && isDigit(text[p + hourDigits])) hourDigits += 1;
  if (hourDigits === 0 || (full && hourDigits < 2)) throw new Mismatch(pos);
  const hours = Number(text.slice(p, p + hourDigits));
  p += hourDigits;
  let minutes = 0;
  let seconds = 0;
  if (text[p] === ':' && twoDigits(text, p + 1) !== undefined) {
    minutes = twoDigits(text, p + 1) as number;
    p += 3;
    if (text[p] === ':' && twoDigits(text, p + 1) !== undefined) {
      seconds = twoDigits(text, p + 1) as number;
      p += 3;
    }
  } else if (full) {
    throw new Mismatch(pos);
  }
  if (hours > 23 || minutes > 59 || seconds > 59) throw new Mismatch(pos);
  const total = hours * 3600 + minutes * 60 + seconds;
  return [sign === '-' ? -total : total, p];
}

/** A zone id ('Europe/Paris', 'UTC', '+08:00', 'Z'): the longest prefix of the text that names a zone. */
function parseZoneId(text: string, pos: number): [Zone, number] {
  const candidate = /^[A-Za-z0-9~/._+:-]+/.exec(text.slice(pos))?.[0] ?? '';
  for (let length = candidate.length; length > 0; length -= 1) {
    try {
      return [resolveZone(candidate.slice(0, length)), pos + length];
    } catch (error) {
      if (!(error instanceof ZoneError)) throw error;
    }
  }
  throw new Mismatch(pos);
}

function parseField(context: ParseContext, tokens: Token[], index: number, pos: number): number {
  const token = tokens[index] as FieldToken;
  const { letter, count } = token;
  const spec = numberSpec(token);
  if (spec) {
    let subsequentWidth = 0;
    if (spec.min !== spec.max || spec.sign !== 'notNegative') {
      for (let next = index + 1; next < tokens.length && isFixedWidth(tokens[next]); next += 1) {
        subsequentWidth += (numberSpec(tokens[next] as FieldToken) as NumberSpec).max;
      }
    }
    const [value, end] = parseNumber(context, pos, spec, subsequentWidth);
    setField(context, FIELD_OF_LETTER[letter], value, pos);
    return end;
  }
  if (FIELD_OF_LETTER[letter]) {
    const [value, end] = parseText(context, pos, textualOptions(token));
    const field = 'Eec'.includes(letter) ? 'dayOfWeek' : FIELD_OF_LETTER[letter];
    setField(context, field, value, pos);
    return end;
  }
  if (letter === 'V' || letter === 'z') {
    const [zone, end] = parseZoneId(context.text, pos);
    context.zone = zone;
    return end;
  }
  const style = letter === 'O' ? undefined : offsetStyle(letter, count);
  const [offset, end] = style
    ? parseOffsetPattern(context.text, pos, style[0], style[1])
    : parseLocalizedOffset(context.text, pos, letter === 'Z' || count === 4);
  setField(context, 'offsetSeconds', offset, pos);
  return end;
}

function parseTokens(context: ParseContext, tokens: Token[], start: number): number {
  let pos = start;
  for (let index = 0; index < tokens.length; index += 1) {
    const token = tokens[index];
    if (token.kind === 'literal') {
      if (!context.text.startsWith(token.text, pos)) throw new Mismatch(pos);
      pos += token.text.length;
    } else if (token.kind === 'field') {
      pos = parseField(context, tokens, index, pos);
    } else {
      // An optional section either matches as a whole or leaves no trace.
      const saved = { fields: new Map(context.fields), zone: context.zone };
      try {
        pos = parseTokens(context, token.tokens, pos);
      } catch (error) {
        if (!(error instanceof Mismatch)) throw error;
        context.fields = saved.fields;
        context.zone = saved.zone;
      }
    }
  }
  return pos;
}

const FIELD_RANGES: Record<string, [string, number, number]> = {
  month: ['MonthOfYear', 1, 12],
  dayOfMonth: ['DayOfMonth', 1, 31],
  dayOfYear: ['DayOfYear', 1, 366],
  quarter: ['QuarterOfYear', 1, 4],
  dayOfWeek: ['DayOfWeek', 1, 7],
  localizedDayOfWeek: ['LocalizedDayOfWeek', 1, 7],
  weekOfWeekBasedYear: ['WeekOfWeekBasedYear', 1, 53],
  hourOfDay: ['HourOfDay', 0, 23],
  clockHourOfDay: ['ClockHourOfDay', 1, 24],
  hourOfAmPm: ['HourOfAmPm', 0, 11],
  clockHourOfAmPm: ['ClockHourOfAmPm', 1, 12],
  minuteOfHour: ['MinuteOfHour', 0, 59],
  secondOfMinute: ['SecondOfMinute', 0, 59],
  nanoOfSecond: ['NanoOfSecond', 0, 999_999_999],
  milliOfDay: ['MilliOfDay', 0, 86_399_999],
  nanoOfDay: ['NanoOfDay', 0, 86_399_999_999_999],
  yearOfEra: ['YearOfEra', 1, 999_999_999],
  year: ['Year', -999_999_999, 999_999_999],
  weekBasedYear: ['WeekBasedYear', -999_999_999, 999_999_999],
};

class Resolution {
  constructor(
    private readonly fields: Fields,
    private readonly fail: (reason: string) => never,
  ) {}

  get(name: string): number | undefined {
    const value = this.fields.get(name);
    if (value === undefined) return undefined;
    const range = FIELD_RANGES[name];
    // SMART resolution lets an hour of 24 through; resolveTime decides whether it is midnight of the next day.
    const max = name === 'hourOfDay' ? 24 : range?.[2];
    if (range && (value < range[1] || value > (max as number))) {
      this.fail(`Invalid value for ${range[0]} (valid values ${range[1]} - ${range[2]}): ${value}`);
    }
    return value;
  }

  check(name: string, actual: number, derived: string): void {
    const parsed = this.get(name);
    if (parsed !== undefined && parsed !== actual) {
      this.fail(
        `Conflict found: ${FIELD_RANGES[name]?.[0] ?? name} ${parsed} differs from ${actual} derived from ${derived}`,
      );
    }
  }

  year(): number | undefined {
    const yearOfEra = this.get('yearOfEra');
    const era = this.get('era');
    const fromEra = yearOfEra === undefined ? undefined : era === 0 ? 1 - yearOfEra : yearOfEra;
    const year = this.get('year');
    if (year !== undefined && fromEra !== undefined && year !== fromEra) {
      this.fail(`Conflict found: Year ${year} differs from Year ${fromEra} derived from YearOfEra`);
    }
    return year ?? fromEra;
  }

  epochDay(): number {
    const year = this.year();
    const month = this.get('month');
    const day = this.get('dayOfMonth');
    const doy = this.get('dayOfYear');
    let epochDay: number;
    if (year !== undefined && month !== undefined && day !== undefined) {
      epochDay = daysFromCivil(year, month, Math.min(day, monthLength(year, month)));
    } else if (year !== undefined && doy !== undefined) {
      if (doy === 366 && !isLeapYear(year)) this.fail(`Invalid date 'DayOfYear 366' as '${year}' is not a leap year`);
      epochDay = daysFromCivil(year, 1, 1) + doy - 1;
    } else {
      epochDay = this.epochDayFromWeeks();
    }
    this.crossCheckDate(epochDay);
    return epochDay;
  }

  private epochDayFromWeeks(): number {
    const weekBasedYear = this.get('weekBasedYear');
    const week = this.get('weekOfWeekBasedYear');
    const isoDow = this.get('dayOfWeek');
    const localizedDow = this.get('localizedDayOfWeek') ?? (isoDow === undefined ? undefined : (isoDow % 7) + 1);
    if (weekBasedYear === undefined || week === undefined || localizedDow === undefined) {
      this.fail('Unable to obtain a date: the pattern needs a year with a month and day, or a day of the year');
    }
    return daysFromWeekFields(weekBasedYear, week, localizedDow);
  }

  private crossCheckDate(epochDay: number): void {
    const date = civilFromDays(epochDay);
    this.check('month', date.month, 'the date');
    this.check('dayOfYear', dayOfYear(date), 'the date');
    this.check('quarter', Math.floor((date.month - 1) / 3) + 1, 'the date');
    this.check('dayOfWeek', isoDayOfWeek(epochDay), 'the date');
    this.check('localizedDayOfWeek', localizedDayOfWeek(epochDay), 'the date');
    const [weekBasedYear, week] = weekBasedYearAndWeek(epochDay);
    this.check('weekBasedYear', weekBasedYear, 'the date');
    this.check('weekOfWeekBasedYear', week, 'the date');
  }

  /** Milliseconds into the day, and whether the text said 24:00 (midnight of the next day). */
  millisOfDay(): [number, boolean] {
    const hour = this.hourOfDay();
    const minute = this.get('minuteOfHour');
    const second = this.get('secondOfMinute');
    const nano = this.get('nanoOfSecond');
    if (minute === undefined && (second !== undefined || nano !== undefined)) {
      this.fail('Unable to obtain a time: the pattern has seconds but no minutes');
    }
    const millis = ((hour * 60 + (minute ?? 0)) * 60 + (second ?? 0)) * 1000 + Math.floor((nano ?? 0) / 1_000_000);
    if (hour === 24) {
      if (millis !== 24 * 3_600_000 || (nano ?? 0) !== 0)
        this.fail('Invalid value for HourOfDay (valid values 0 - 23): 24');
      return [0, true];
    }
    this.check('milliOfDay', millis, 'the time');
    const nanoOfDay = this.get('nanoOfDay');
    if (nanoOfDay !== undefined && Math.floor(nanoOfDay / 1_000_000) !== millis) {
      this.fail(`Conflict found: NanoOfDay ${nanoOfDay} differs from the time`);
    }
    return [millis, false];
  }

  private hourOfDay(): number {
    const fromDayFields = this.get('milliOfDay') ?? this.dayNanosAsMillis();
    if (fromDayFields !== undefined && this.fields.get('hourOfDay') === undefined) {
      this.fields.set('hourOfDay', Math.floor(fromDayFields / 3_600_000));
      this.fields.set('minuteOfHour', Math.floor(fromDayFields / 60_000) % 60);
      this.fields.set('secondOfMinute', Math.floor(fromDayFields / 1000) % 60);
      this.fields.set('nanoOfSecond', (this.fields.get('nanoOfDay') ?? fromDayFields * 1_000_000) % 1_000_000_000);
    }
    const candidates: number[] = [];
    const hourOfDay = this.get('hourOfDay');
    if (hourOfDay !== undefined) candidates.push(hourOfDay);
    const clockHour = this.get('clockHourOfDay');
    if (clockHour !== undefined) candidates.push(clockHour === 24 ? 0 : clockHour);
    const amPm = this.get('amPm');
    const clockHourOfAmPm = this.get('clockHourOfAmPm');
    const hourOfAmPm = this.get('hourOfAmPm') ?? (clockHourOfAmPm === undefined ? undefined : clockHourOfAmPm % 12);
    if (hourOfAmPm !== undefined) {
      if (amPm === undefined) this.fail('Unable to obtain a time: an hour of AM/PM needs an AM/PM marker (a)');
      candidates.push(amPm * 12 + hourOfAmPm);
    } else if (amPm !== undefined && candidates.length > 0 && Math.floor((candidates[0] % 24) / 12) !== amPm) {
      this.fail(`Conflict found: AmPmOfDay ${amPm} differs from the hour of day ${candidates[0]}`);
    }
    if (candidates.length === 0) this.fail('Unable to obtain a time: the pattern needs an hour of the day');
    if (candidates.some((hour) => hour % 24 !== candidates[0] % 24)) {
      this.fail(`Conflict found: the text gives different hours of the day (${candidates.join(', ')})`);
    }
    return candidates[0];
  }

  private dayNanosAsMillis(): number | undefined {
    const nanoOfDay = this.get('nanoOfDay');
    return nanoOfDay === undefined ? undefined : Math.floor(nanoOfDay / 1_000_000);
  }
}

/** Epoch milliseconds of `text` read with a DateTimeFormatter pattern; `zone` applies when the text has no offset. */
export function parseToEpochMillis(text: string, pattern: string, zone: Zone): number {
  const tokens = compilePattern(pattern);
  const context: ParseContext = { text, fields: new Map() };
  let end: number;
  try {
    end = parseTokens(context, tokens, 0);
  } catch (error) {
    if (error instanceof Mismatch)
      throw new DateTimeParseError(`Text '${text}' could not be parsed at index ${error.index}`);
    throw error;
  }
  if (end < text.length) {
    throw new DateTimeParseError(`Text '${text}' could not be parsed, unparsed text found at index ${end}`);
  }
  const fail = (reason: string): never => {
    throw new DateTimeParseError(`Text '${text}' could not be parsed: ${reason}`);
  };
  return instantOf(new Resolution(context.fields, fail), context, zone);
}

function instantOf(resolution: Resolution, context: ParseContext, zone: Zone): number {
  const epochDay = resolution.epochDay();
  const [millisOfDay, nextDay] = resolution.millisOfDay();
  const localMillis = (epochDay + (nextDay ? 1 : 0)) * MILLIS_PER_DAY + millisOfDay;
  const offset = context.fields.get('offsetSeconds');
  if (offset !== undefined) return localMillis - offset * 1000;
  return instantOfLocal(context.zone ?? zone, localMillis);
}

const ISO_DATE_TIME =
  /^(\+\d{5,10}|-\d{4,10}|\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{0,9}))?)?([Zz]|[+-]\d{2}:\d{2}(?::\d{2})?)(?:\[([^\]]+)\])?$/;

/**
 * Epoch milliseconds of an ISO-8601 date-time, as DateTimeFormatter.ISO_DATE_TIME reads it (strictly): a date, 'T',
 * a time to at least the minute, an offset ('Z', '+08:00'), and optionally a bracketed zone ('[Europe/Paris]'), which
 * must exist but does not change the instant.
 */
export function parseIso8601ToEpochMillis(text: string): number {
  const match = ISO_DATE_TIME.exec(text);
  const fail = (reason: string): never => {
    throw new DateTimeParseError(`Text '${text}' could not be parsed: ${reason}`);
  };
  if (!match) return fail('not an ISO-8601 date-time with an offset, such as 2018-02-01T17:21:05.180+08:00');
  const [, yearText, monthText, dayText, hourText, minuteText, secondText, fraction, offsetText, zoneText] = match;
  const [year, month, day] = [Number(yearText), Number(monthText), Number(dayText)];
  if (month < 1 || month > 12) fail(`Invalid value for MonthOfYear (valid values 1 - 12): ${month}`);
  if (day < 1 || day > monthLength(year, month)) fail(`Invalid date '${MONTHS[month - 1].toUpperCase()} ${day}'`);
  const [hour, minute, second] = [Number(hourText), Number(minuteText), Number(secondText ?? 0)];
  if (hour > 23) fail(`Invalid value for HourOfDay (valid values 0 - 23): ${hour}`);
  if (minute > 59) fail(`Invalid value for MinuteOfHour (valid values 0 - 59): ${minute}`);
  if (second > 59) fail(`Invalid value for SecondOfMinute (valid values 0 - 59): ${second}`);
  const offset = /^[Zz]$/.test(offsetText) ? 0 : parseOffset(offsetText);
  if (offset === undefined) return fail(`Zone offset not in valid range: -18:00 to +18:00 (${offsetText})`);
  if (zoneText !== undefined) {
    try {
      resolveZone(zoneText);
    } catch (error) {
      if (error instanceof ZoneError) fail(error.message);
      throw error;
    }
  }
  const millis = Number((fraction ?? '').padEnd(3, '0').slice(0, 3));
  const localMillis =
    daysFromCivil(year, month, day) * MILLIS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000 + millis;
  return localMillis - offset * 1000;
}
