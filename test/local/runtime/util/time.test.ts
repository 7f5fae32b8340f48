import { afterEach, describe, expect, it, vi } from 'vitest';
import { time } from '../../../../local/runtime/realm/utils/time';
import { JAVA_FORMAT_CASES, JAVA_PARSE_CASES } from './java-time-cases';

afterEach(() => {
  vi.useRealTimers();
});

function at(epochMillis: number): void {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(epochMillis);
}

// The examples of AppSync's time helpers reference (docs: "Time helpers in $util.time", standalone, conversion and
// parsing examples; the JavaScript util.time has the same functions).
describe('util.time documented examples', () => {
  it('nowISO8601 gives 2018-02-06T19:01:35.749Z', () => {
    at(1517943695749);
    expect(time.nowISO8601()).toBe('2018-02-06T19:01:35.749Z');
  });

  it('nowEpochSeconds gives 1517943695', () => {
    at(1517943695750);
    expect(time.nowEpochSeconds()).toBe(1517943695);
  });

  it('nowEpochMilliSeconds gives 1517943695750', () => {
    at(1517943695750);
    expect(time.nowEpochMilliSeconds()).toBe(1517943695750);
  });

  it('nowFormatted in UTC, at +08:00 and in Australia/Perth', () => {
    at(1517943695750);
    expect(time.nowFormatted('yyyy-MM-dd HH:mm:ssZ')).toBe('2018-02-06 19:01:35+0000');
    expect(time.nowFormatted('yyyy-MM-dd HH:mm:ssZ', '+08:00')).toBe('2018-02-07 03:01:35+0800');
    expect(time.nowFormatted('yyyy-MM-dd HH:mm:ssZ', 'Australia/Perth')).toBe('2018-02-07 03:01:35+0800');
  });

  it('converts 1517943695758 to seconds, ISO 8601 and formatted text', () => {
    const millis = 1517943695758;
    expect(time.epochMilliSecondsToSeconds(millis)).toBe(1517943695);
    expect(time.epochMilliSecondsToISO8601(millis)).toBe('2018-02-06T19:01:35.758Z');
    expect(time.epochMilliSecondsToFormatted(millis, 'yyyy-MM-dd HH:mm:ssZ')).toBe('2018-02-06 19:01:35+0000');
    expect(time.epochMilliSecondsToFormatted(millis, 'yyyy-MM-dd HH:mm:ssZ', '+08:00')).toBe(
      '2018-02-07 03:01:35+0800',
    );
  });

  it('parses the documented timestamps', () => {
    expect(time.parseISO8601ToEpochMilliSeconds('2018-02-01T17:21:05.180+08:00')).toBe(1517476865180);
    expect(time.parseFormattedToEpochMilliSeconds('2018-02-02 01:19:22+0800', 'yyyy-MM-dd HH:mm:ssZ')).toBe(
      1517505562000,
    );
    expect(time.parseFormattedToEpochMilliSeconds('2018-02-02 01:19:22', 'yyyy-MM-dd HH:mm:ss', '+08:00')).toBe(
      1517505562000,
    );
  });

  // "Usage with AWS AppSync defined scalars": formats for AWSDate and AWSDateTime at an offset with seconds.
  it('formats for the AppSync scalars with optional offset sections', () => {
    at(Date.UTC(2018, 6, 11, 22, 14, 45));
    expect(time.nowFormatted('yyyy-MM-dd[XXX]', '-07:00:30')).toBe('2018-07-11-07:00');
    expect(time.nowFormatted("yyyy-MM-dd'T'HH:mm:ss[XXXXX]", '-07:00:30')).toBe('2018-07-11T15:14:15-07:00:30');
  });
});

describe('util.time now', () => {
  it('nowISO8601 always shows milliseconds', () => {
    at(Date.UTC(2024, 0, 1));
    expect(time.nowISO8601()).toBe('2024-01-01T00:00:00.000Z');
  });

  it('follows the real clock', () => {
    const before = Date.now();
    const now = time.nowEpochMilliSeconds();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });
});

describe('util.time.epochMilliSecondsToFormatted', () => {
  it.each(JAVA_FORMAT_CASES)('formats %d in %s with %j as java.time does', (millis, zone, pattern, expected) => {
    expect(time.epochMilliSecondsToFormatted(millis, pattern, zone)).toBe(expected);
  });

  it('rejects an unknown time zone', () => {
    expect(() => time.epochMilliSecondsToFormatted(0, 'yyyy', 'Mars/Olympus')).toThrow(
      "util.time.epochMilliSecondsToFormatted: invalid time zone 'Mars/Olympus': Unknown time-zone ID: Mars/Olympus",
    );
  });

  it('rejects a region id in the wrong case, as Java does', () => {
    expect(() => time.epochMilliSecondsToFormatted(0, 'yyyy', 'america/new_york')).toThrow(
      'Unknown time-zone ID: america/new_york',
    );
  });

  it.each(['+19:00', '+8:30', '08:00', 'UTC+25'])('rejects the malformed offset %j', (zone) => {
    expect(() => time.epochMilliSecondsToFormatted(0, 'yyyy', zone)).toThrow(/invalid time zone/);
  });

  it.each([
    ['yyyy-MM-dd bb', 'Unknown pattern letter: b'],
    ['ddd', 'Too many pattern letters: d'],
    ['aa', 'Too many pattern letters: a'],
    ['V', 'Pattern letter count must be 2: V'],
    ["yyyy 'unclosed", "Pattern ends with an incomplete string literal: yyyy 'unclosed"],
    ['yyyy]', 'Pattern invalid as it contains ] without previous ['],
    ['yyyy{', "Pattern includes reserved character: '{'"],
    ['F', "Pattern letter 'F' is not supported by the local AppSync runtime"],
  ])('rejects the pattern %j: %s', (pattern, message) => {
    expect(() => time.epochMilliSecondsToFormatted(0, pattern)).toThrow(
      `util.time.epochMilliSecondsToFormatted: invalid date-time pattern: ${message}`,
    );
  });

  it('rejects milliseconds that are not a number', () => {
    expect(() => time.epochMilliSecondsToFormatted('0' as unknown as number, 'yyyy')).toThrow(
      'util.time.epochMilliSecondsToFormatted: milliseconds must be a number, got string',
    );
  });

  it('rejects a time zone that is not a string', () => {
    expect(() => time.epochMilliSecondsToFormatted(0, 'yyyy', 8 as unknown as string)).toThrow(
      'util.time.epochMilliSecondsToFormatted: timezone must be a string, got number',
    );
  });
});

describe('util.time.epochMilliSecondsToISO8601', () => {
  it('agrees with the Java pattern formatter across years 0000 to 9999 and beyond', () => {
    const instants = [-62167219200000, -62167219200001, 0, 1517943695758, 253402300799999, 253402300800000];
    for (let i = 0; i < 200; i += 1) instants.push(Math.round((Math.random() - 0.2) * 3e14));
    for (const ms of instants) {
      expect(time.epochMilliSecondsToISO8601(ms)).toBe(
        time.epochMilliSecondsToFormatted(ms, "uuuu-MM-dd'T'HH:mm:ss.SSSX", 'UTC'),
      );
    }
  });

  it.each([
    [0, '1970-01-01T00:00:00.000Z'],
    [-1, '1969-12-31T23:59:59.999Z'],
    [253402300800000, '+10000-01-01T00:00:00.000Z'],
  ])('gives %d as %s', (millis, expected) => {
    expect(time.epochMilliSecondsToISO8601(millis)).toBe(expected);
  });

  it('rejects a value past the range of a date', () => {
    expect(() => time.epochMilliSecondsToISO8601(Infinity)).toThrow(
      'util.time.epochMilliSecondsToISO8601: milliseconds must be a finite epoch time, got Infinity',
    );
  });
});

describe('util.time.epochMilliSecondsToSeconds', () => {
  it('drops the milliseconds', () => {
    expect(time.epochMilliSecondsToSeconds(1999)).toBe(1);
    expect(time.epochMilliSecondsToSeconds(0)).toBe(0);
  });
});

describe('util.time.parseFormattedToEpochMilliSeconds', () => {
  it.each(JAVA_PARSE_CASES)('parses %j with %j in %s as java.time does', (text, pattern, zone, expected) => {
    const parse = () =>
      zone === null
        ? time.parseFormattedToEpochMilliSeconds(text, pattern)
        : time.parseFormattedToEpochMilliSeconds(text, pattern, zone);
    if (expected === null)
      expect(parse).toThrow(/^util\.time\.parseFormattedToEpochMilliSeconds: Text '.*' could not be parsed/);
    else expect(parse()).toBe(expected);
  });

  it('explains a parse failure with the index, as Java does', () => {
    expect(() => time.parseFormattedToEpochMilliSeconds('2018-jul-11 12', 'yyyy-MMM-dd HH')).toThrow(
      "util.time.parseFormattedToEpochMilliSeconds: Text '2018-jul-11 12' could not be parsed at index 5",
    );
  });

  it('explains text left over after the pattern', () => {
    expect(() => time.parseFormattedToEpochMilliSeconds('2018-07-11 12:00 extra', 'yyyy-MM-dd HH:mm')).toThrow(
      'could not be parsed, unparsed text found at index 16',
    );
  });

  it('needs a time of day, as ZonedDateTime does', () => {
    expect(() => time.parseFormattedToEpochMilliSeconds('2018-02-01', 'yyyy-MM-dd')).toThrow(
      'Unable to obtain a time: the pattern needs an hour of the day',
    );
  });

  it('round-trips with epochMilliSecondsToFormatted in a zone with daylight saving', () => {
    const pattern = "yyyy-MM-dd'T'HH:mm:ss.SSS VV";
    const millis = Date.UTC(2023, 6, 4, 12, 30, 15, 250);
    const text = time.epochMilliSecondsToFormatted(millis, pattern, 'Europe/Paris');
    expect(text).toBe('2023-07-04T14:30:15.250 Europe/Paris');
    expect(time.parseFormattedToEpochMilliSeconds(text, pattern)).toBe(millis);
  });

  it('rejects an invalid pattern', () => {
    expect(() => time.parseFormattedToEpochMilliSeconds('x', 'yyyy#')).toThrow(
      "util.time.parseFormattedToEpochMilliSeconds: invalid date-time pattern: Pattern includes reserved character: '#'",
    );
  });

  it('rejects a timestamp that is not a string', () => {
    expect(() => time.parseFormattedToEpochMilliSeconds(null as unknown as string, 'yyyy')).toThrow(
      'util.time.parseFormattedToEpochMilliSeconds: timestamp must be a string, got null',
    );
  });
});

describe('util.time.parseISO8601ToEpochMilliSeconds', () => {
  // Expected values from Instant.from(DateTimeFormatter.ISO_DATE_TIME.parse(text)) on JDK 17.
  it.each([
    ['2018-02-01T17:21:05Z', 1517505665000],
    ['2018-02-01t17:21z', 1517505660000],
    ['2018-02-01T17:21:05.Z', 1517505665000],
    ['2018-02-01T17:21:05+01:00[Europe/Paris]', 1517502065000],
    ['+20180-02-01T17:21:05Z', 574654843265000],
    ['-0001-02-01T17:21:05Z', -62196014335000],
    ['2018-02-01T17:21:05.999999Z', 1517505665999],
  ])('parses %j', (text, expected) => {
    expect(time.parseISO8601ToEpochMilliSeconds(text)).toBe(expected);
  });

  it.each([
    '2018-02-01T17:21:05.1234567891Z',
    '2018-02-01T17:21:05+08',
    '2018-02-01T17:21:05+0800',
    '2018-02-01T17:21:05',
    '2018-02-01T17:21:05[Europe/Paris]',
    '2018-02-01',
    '2018-02-01 17:21:05Z',
  ])('rejects %j, which Java does not read as an ISO date-time with an offset', (text) => {
    expect(() => time.parseISO8601ToEpochMilliSeconds(text)).toThrow(
      `util.time.parseISO8601ToEpochMilliSeconds: Text '${text}' could not be parsed`,
    );
  });

  it.each([
    ['2018-02-30T17:21:05Z', "Invalid date 'FEBRUARY 30'"],
    ['2018-02-01T24:00Z', 'Invalid value for HourOfDay (valid values 0 - 23): 24'],
    ['2018-02-01T17:21:05+19:00', 'Zone offset not in valid range'],
    ['2018-02-01T17:21:05+01:00[Mars/Olympus]', 'Unknown time-zone ID: Mars/Olympus'],
  ])('rejects %j: %s', (text, message) => {
    expect(() => time.parseISO8601ToEpochMilliSeconds(text)).toThrow(message);
  });
});
