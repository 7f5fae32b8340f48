// Time zones as java.time.ZoneId.of reads them: fixed offsets ('Z', '+08:00', '-0730', 'UTC+8', ...) and region ids
// ('America/New_York'). Region rules come from the realm's Intl (ICU's copy of the same tz database as Java's).
import { daysFromCivil, MILLIS_PER_DAY } from './calendar';

export interface Zone {
  /** The id java.time normalises the input to: '+08:00', 'Z', 'UTC', 'Europe/Paris'. */
  id: string;
  /** True for a ZoneOffset (as opposed to a ZoneRegion such as 'UTC' or 'Europe/Paris'). */
  isOffset: boolean;
  /** Offset from UTC in seconds at the given instant. */
  offsetAt(epochMillis: number): number;
  /** Short ('PST') or long ('Pacific Standard Time') display name at the given instant. */
  displayName(epochMillis: number, style: 'short' | 'long'): string;
}

export class ZoneError extends Error {}

const MAX_OFFSET_SECONDS = 18 * 3600;

function twoDigits(value: number): string {
  return String(value).padStart(2, '0');
}

/** ZoneOffset#getId: 'Z' for zero, else '+hh:mm' or '+hh:mm:ss'. */
export function offsetId(totalSeconds: number): string {
  if (totalSeconds === 0) return 'Z';
  const abs = Math.abs(totalSeconds);
  const hours = Math.floor(abs / 3600);
  const minutes = Math.floor((abs % 3600) / 60);
  const seconds = abs % 60;
  const sign = totalSeconds < 0 ? '-' : '+';
  return `${sign}${twoDigits(hours)}:${twoDigits(minutes)}${seconds ? ':' + twoDigits(seconds) : ''}`;
}

/** ZoneOffset.of: ±h, ±hh, ±hh:mm, ±hhmm, ±hh:mm:ss, ±hhmmss, up to ±18:00. Undefined when malformed. */
export function parseOffset(text: string): number | undefined {
  const match = /^([+-])(\d{1,2})(?:(:?)(\d{2})(?:\3(\d{2}))?)?$/.exec(text);
  if (!match) return undefined;
  const [, sign, hourText, , minuteText, secondText] = match;
  if (hourText.length === 1 && minuteText !== undefined) return undefined;
  const hours = Number(hourText);
  const minutes = Number(minuteText ?? 0);
  const seconds = Number(secondText ?? 0);
  if (minutes > 59 || seconds > 59) return undefined;
  const total = hours * 3600 + minutes * 60 + seconds;
  if (total > MAX_OFFSET_SECONDS) return undefined;
  return sign === '-' ? -total : total;
}

function fixedZone(id: string, seconds: number, isOffset: boolean, names: [string, string]): Zone {
  return {
    id,
    isOffset,
    offsetAt: () => seconds,
    displayName: (_epochMillis, style) => (style === 'short' ? names[0] : names[1]),
  };
}

const UTC_NAMES: Record<string, [string, string]> = {
  UTC: ['UTC', 'Coordinated Universal Time'],
  GMT: ['GMT', 'Greenwich Mean Time'],
  UT: ['UT', 'Universal Time'],
};

function prefixedZone(input: string, prefix: string): Zone {
  const rest = input.slice(prefix.length);
  if (rest === '') return fixedZone(prefix, 0, false, UTC_NAMES[prefix]);
  const seconds = parseOffset(rest);
  if (seconds === undefined) throw new ZoneError(`Invalid ID for offset-based ZoneId: ${input}`);
  const id = seconds === 0 ? prefix : prefix + offsetId(seconds);
  return fixedZone(id, seconds, false, [id, id]);
}

const regionCache = new Map<string, Zone>();

function regionZone(input: string): Zone {
  const cached = regionCache.get(input);
  if (cached) return cached;
  if (!/^[A-Za-z][A-Za-z0-9~/._+-]+$/.test(input))
    throw new ZoneError(`Invalid ID for region-based ZoneId, invalid format: ${input}`);
  let parts: Intl.DateTimeFormat;
  try {
    parts = new Intl.DateTimeFormat('en-US', {
      timeZone: input,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    throw new ZoneError(`Unknown time-zone ID: ${input}`);
  }
  requireJavaCase(input, parts.resolvedOptions().timeZone);
  const names = new Map<string, Intl.DateTimeFormat>();
  const zone: Zone = {
    id: input,
    isOffset: false,
    offsetAt: (epochMillis) => offsetFromParts(parts, epochMillis),
    displayName: (epochMillis, style) => {
      const name = (nameStyle: 'short' | 'long'): string => {
        let format = names.get(nameStyle);
        if (!format) {
          format = new Intl.DateTimeFormat('en-US', { timeZone: input, timeZoneName: nameStyle });
          names.set(nameStyle, format);
        }
        return format.formatToParts(epochMillis).find((part) => part.type === 'timeZoneName')?.value ?? input;
      };
      const long = name('long');
      if (long.startsWith('GMT') && !isNameReference(epochMillis)) {
        return zone.displayName(nameReferenceInstant(zone, epochMillis), style);
      }
      return style === 'long' ? long : abbreviation(name('short'), long);
    },
  };
  regionCache.set(input, zone);
  return zone;
}

// ICU names regions only from 1970 on and shows 'GMT-4:56:02' before; Java always uses the region's names. Names
// for such instants are taken from a year-2000 instant with the same offset (or the standard one).
const NAME_REFERENCES = [Date.UTC(2000, 0, 1), Date.UTC(2000, 6, 1)];

function isNameReference(epochMillis: number): boolean {
  return NAME_REFERENCES.includes(epochMillis);
}

function nameReferenceInstant(zone: Zone, epochMillis: number): number {
  const offset = zone.offsetAt(epochMillis);
  const [winter, summer] = NAME_REFERENCES;
  if (zone.offsetAt(summer) === offset) return summer;
  if (zone.offsetAt(winter) === offset) return winter;
  return zone.offsetAt(winter) <= zone.offsetAt(summer) ? winter : summer;
}

/**
 * Java's short zone name. ICU only knows abbreviations for a few regions ('EST', 'PST') and shows others as
 * 'GMT+8', where Java prints 'AWST': the initials of the long name, as Java's abbreviations mostly are
 * ('Central European Standard Time' is 'CET' there, not 'CEST').
 */
function abbreviation(short: string, long: string): string {
  if (!short.startsWith('GMT') || long.startsWith('GMT')) return short;
  const words = long.replace(/ European Standard Time$/, ' European Time').split(' ');
  return words
    .map((word) => word[0])
    .join('')
    .toUpperCase();
}

// Java's region ids are case-sensitive ('america/new_york' is unknown to it) while Intl's are not.
function requireJavaCase(input: string, resolved: string): void {
  const canonical = [resolved, ...supportedZones()].find((id) => id.toLowerCase() === input.toLowerCase());
  if (canonical !== undefined && canonical !== input) throw new ZoneError(`Unknown time-zone ID: ${input}`);
}

let supportedZoneList: string[] | undefined;

function supportedZones(): string[] {
  if (supportedZoneList === undefined) {
    const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
    supportedZoneList = intl.supportedValuesOf ? intl.supportedValuesOf('timeZone') : [];
  }
  return supportedZoneList;
}

/** The zone's offset at an instant, read back from the wall-clock time Intl shows for it. */
function offsetFromParts(format: Intl.DateTimeFormat, epochMillis: number): number {
  const instant = Math.floor(epochMillis / 1000) * 1000;
  const fields: Record<string, string> = {};
  for (const part of format.formatToParts(instant)) fields[part.type] = part.value;
  const yearOfEra = Number(fields.year);
  const year = fields.era === 'BC' || fields.era === 'B' ? 1 - yearOfEra : yearOfEra;
  const wallMillis =
    daysFromCivil(year, Number(fields.month), Number(fields.day)) * MILLIS_PER_DAY +
    ((Number(fields.hour) * 60 + Number(fields.minute)) * 60 + Number(fields.second)) * 1000;
  return Math.round((wallMillis - instant) / 1000);
}

/** The zone named by a java.time zone id, or a ZoneError naming what is wrong with it. */
export function resolveZone(input: string): Zone {
  if (input === 'Z') return fixedZone('Z', 0, true, ['Z', 'Z']);
  if (input.startsWith('+') || input.startsWith('-')) {
    const seconds = parseOffset(input);
    if (seconds === undefined) throw new ZoneError(`Invalid ID for ZoneOffset, invalid format: ${input}`);
    const id = offsetId(seconds);
    return fixedZone(id, seconds, true, [id, id]);
  }
  for (const prefix of ['UTC', 'GMT', 'UT']) {
    if (input === prefix || input.startsWith(prefix + '+') || input.startsWith(prefix + '-'))
      return prefixedZone(input, prefix);
  }
  return regionZone(input);
}

export const UTC_ZONE: Zone = fixedZone('UTC', 0, false, UTC_NAMES.UTC);

/**
 * The instant of a wall-clock time in a zone, resolved as ZonedDateTime.of does: in an overlap the earlier offset
 * wins, in a gap the time moves forward by the gap's length.
 */
export function instantOfLocal(zone: Zone, localMillis: number): number {
  const candidates = new Set([
    zone.offsetAt(localMillis - MILLIS_PER_DAY),
    zone.offsetAt(localMillis),
    zone.offsetAt(localMillis + MILLIS_PER_DAY),
  ]);
  const valid = [...candidates]
    .filter((offset) => zone.offsetAt(localMillis - offset * 1000) === offset)
    .map((offset) => localMillis - offset * 1000);
  if (valid.length > 0) return Math.min(...valid);
  // In a gap: the offset before the transition is the smaller one.
  return localMillis - Math.min(...candidates) * 1000;
}
