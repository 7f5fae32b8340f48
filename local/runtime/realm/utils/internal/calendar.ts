// Proleptic Gregorian calendar arithmetic on day numbers (days since 1970-01-01), as java.time's ISO chronology
// does it. Date is not used: its range and its local-time behaviour are not Java's.

export const MILLIS_PER_DAY = 86_400_000;

export interface CivilDate {
  year: number;
  month: number; // 1-12
  day: number; // 1-31
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function monthLength(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

export function yearLength(year: number): number {
  return isLeapYear(year) ? 366 : 365;
}

function floorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}

export function floorMod(a: number, b: number): number {
  return ((a % b) + b) % b;
}

/** Day number of a civil date (Howard Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = floorDiv(y, 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = floorDiv(153 * (month + (month > 2 ? -3 : 9)) + 2, 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + floorDiv(yearOfEra, 4) - floorDiv(yearOfEra, 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** Civil date of a day number (Howard Hinnant's civil_from_days). */
export function civilFromDays(days: number): CivilDate {
  const z = days + 719_468;
  const era = floorDiv(z, 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = floorDiv(
    dayOfEra - floorDiv(dayOfEra, 1460) + floorDiv(dayOfEra, 36_524) - floorDiv(dayOfEra, 146_096),
    365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + floorDiv(yearOfEra, 4) - floorDiv(yearOfEra, 100));
  const mp = floorDiv(5 * dayOfYear + 2, 153);
  const day = dayOfYear - floorDiv(153 * mp + 2, 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** ISO day of week: 1 = Monday ... 7 = Sunday. */
export function isoDayOfWeek(days: number): number {
  return floorMod(days + 3, 7) + 1;
}

export function dayOfYear(date: CivilDate): number {
  return daysFromCivil(date.year, date.month, date.day) - daysFromCivil(date.year, 1, 1) + 1;
}

/**
 * Week fields of a locale (java.time.temporal.WeekFields). AppSync formats with the JVM's default locale, en_US:
 * weeks start on Sunday and the first week of a year or month may have a single day.
 */
export const US_WEEKS = { firstDayOfWeek: 7, minimalDays: 1 };

/** Day of week counted from the locale's first day: 1 = Sunday ... 7 = Saturday for en_US. */
export function localizedDayOfWeek(days: number): number {
  return floorMod(isoDayOfWeek(days) - US_WEEKS.firstDayOfWeek, 7) + 1;
}

function startOfWeekOffset(day: number, localizedDow: number): number {
  const weekStart = floorMod(day - localizedDow, 7);
  return weekStart + 1 > US_WEEKS.minimalDays ? 7 - weekStart : -weekStart;
}

function computeWeek(offset: number, day: number): number {
  return floorDiv(7 + offset + (day - 1), 7);
}

export function weekOfMonth(days: number): number {
  const date = civilFromDays(days);
  return computeWeek(startOfWeekOffset(date.day, localizedDayOfWeek(days)), date.day);
}

/** [week-based year, week of week-based year] of a day, by the locale's week rules. */
export function weekBasedYearAndWeek(days: number): [number, number] {
  const date = civilFromDays(days);
  const doy = dayOfYear(date);
  const offset = startOfWeekOffset(doy, localizedDayOfWeek(days));
  const week = computeWeek(offset, doy);
  if (week === 0) {
    const [, previousWeek] = weekBasedYearAndWeek(days - doy);
    return [date.year - 1, previousWeek + 1];
  }
  if (week > 50) {
    const newYearWeek = computeWeek(offset, yearLength(date.year) + US_WEEKS.minimalDays);
    if (week >= newYearWeek) return [date.year + 1, week - newYearWeek + 1];
  }
  return [date.year, week];
}

/** Day number of the given localized day (1-7) in the given week of a week-based year. */
export function daysFromWeekFields(weekBasedYear: number, week: number, localizedDow: number): number {
  const janFirst = daysFromCivil(weekBasedYear, 1, 1);
  const janFirstDow = localizedDayOfWeek(janFirst);
  const firstWeekStart = janFirst - (janFirstDow - 1);
  const daysInFirstWeek = 7 - (janFirstDow - 1);
  const weekOneStart = daysInFirstWeek >= US_WEEKS.minimalDays ? firstWeekStart : firstWeekStart + 7;
  return weekOneStart + (week - 1) * 7 + (localizedDow - 1);
}
