// util.time: timestamps now, conversions between epoch values and text, with java.time DateTimeFormatter patterns
// and zone ids as AppSync (a Java service) reads them.
import { requireNumber, requireString } from './internal/args';
import { formatInstant } from './internal/java-date-format';
import { PatternError } from './internal/java-date-pattern';
import { DateTimeParseError, parseIso8601ToEpochMillis, parseToEpochMillis } from './internal/java-date-parse';
import { resolveZone, UTC_ZONE, ZoneError, type Zone } from './internal/zones';

// Always with milliseconds, as AppSync's documented examples show ('2018-02-06T19:01:35.749Z').
const ISO_8601_PATTERN = "uuuu-MM-dd'T'HH:mm:ss.SSSX";

function zoneArgument(fn: string, timezone: unknown): Zone {
  if (timezone === undefined) return UTC_ZONE;
  const id = requireString(fn, 'timezone', timezone);
  try {
    return resolveZone(id);
  } catch (error) {
    if (error instanceof ZoneError) throw new RangeError(`${fn}: invalid time zone '${id}': ${error.message}`);
    throw error;
  }
}

function epochMillisArgument(fn: string, milliseconds: unknown): number {
  const value = requireNumber(fn, 'milliseconds', milliseconds);
  if (!Number.isFinite(value) || Math.abs(value) > 8.64e15) {
    throw new RangeError(`${fn}: milliseconds must be a finite epoch time, got ${value}`);
  }
  return Math.trunc(value);
}

/** Runs a java.time operation, turning its errors into ones that name the util function. */
function javaTime<T>(fn: string, operation: () => T): T {
  try {
    return operation();
  } catch (error) {
    if (error instanceof PatternError) throw new RangeError(`${fn}: invalid date-time pattern: ${error.message}`);
    if (error instanceof DateTimeParseError) throw new RangeError(`${fn}: ${error.message}`);
    throw error;
  }
}

function format(fn: string, epochMillis: number, pattern: unknown, timezone: unknown): string {
  const formatString = requireString(fn, 'formatString', pattern);
  const zone = zoneArgument(fn, timezone);
  return javaTime(fn, () => formatInstant(epochMillis, formatString, zone));
}

// Years 0000 to 9999: where Date's ISO form and Java's uuuu-MM-dd'T'HH:mm:ss.SSSX agree character for character.
const FIRST_FOUR_DIGIT_YEAR_MS = -62167219200000;
const LAST_FOUR_DIGIT_YEAR_MS = 253402300799999;

/** ISO 8601 in UTC with milliseconds; Date's own formatter where it matches Java's (20x faster than the pattern). */
function isoInstant(milliseconds: number): string {
  if (milliseconds >= FIRST_FOUR_DIGIT_YEAR_MS && milliseconds <= LAST_FOUR_DIGIT_YEAR_MS) {
    return new Date(milliseconds).toISOString();
  }
  return formatInstant(milliseconds, ISO_8601_PATTERN, UTC_ZONE);
}

function nowISO8601(): string {
  return isoInstant(Date.now());
}

function nowEpochSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function nowEpochMilliSeconds(): number {
  return Date.now();
}

function nowFormatted(formatString: string, timezone?: string): string {
  return format('util.time.nowFormatted', Date.now(), formatString, timezone);
}

function parseFormattedToEpochMilliSeconds(timestamp: string, formatString: string, timezone?: string): number {
  const fn = 'util.time.parseFormattedToEpochMilliSeconds';
  const text = requireString(fn, 'timestamp', timestamp);
  const pattern = requireString(fn, 'formatString', formatString);
  const zone = zoneArgument(fn, timezone);
  return javaTime(fn, () => parseToEpochMillis(text, pattern, zone));
}

function parseISO8601ToEpochMilliSeconds(timestamp: string): number {
  const fn = 'util.time.parseISO8601ToEpochMilliSeconds';
  const text = requireString(fn, 'timestamp', timestamp);
  return javaTime(fn, () => parseIso8601ToEpochMillis(text));
}

function epochMilliSecondsToSeconds(milliseconds: number): number {
  return Math.trunc(epochMillisArgument('util.time.epochMilliSecondsToSeconds', milliseconds) / 1000) + 0;
}

function epochMilliSecondsToISO8601(milliseconds: number): string {
  return isoInstant(epochMillisArgument('util.time.epochMilliSecondsToISO8601', milliseconds));
}

function epochMilliSecondsToFormatted(milliseconds: number, formatString: string, timezone?: string): string {
  const fn = 'util.time.epochMilliSecondsToFormatted';
  return format(fn, epochMillisArgument(fn, milliseconds), formatString, timezone);
}

export const time = {
  nowISO8601,
  nowEpochSeconds,
  nowEpochMilliSeconds,
  nowFormatted,
  parseFormattedToEpochMilliSeconds,
  parseISO8601ToEpochMilliSeconds,
  epochMilliSecondsToSeconds,
  epochMilliSecondsToISO8601,
  epochMilliSecondsToFormatted,
};
