import { describe, expect, it } from 'vitest';
import { evaluate, moduleReturning, resultOf } from '../../../helpers/evaluate';

// The util families run inside the sandbox realm (own intrinsics, frozen, no Node globals): each expression here is
// evaluated there, as a resolver would call it.
function inRealm(expression: string, context: Record<string, unknown> = {}): unknown {
  return resultOf(evaluate(moduleReturning(expression), context));
}

describe('util in the sandbox realm', () => {
  it.each([
    ['util.urlEncode("a b/é")', 'a+b%2F%C3%A9'],
    ['util.urlDecode("a+b%2F%C3%A9")', 'a b/é'],
    ['util.base64Encode("😀")', '8J+YgA=='],
    ['util.base64Decode("8J+YgA==")', '😀'],
    ['util.escapeJavaScript("é\'")', "\\u00E9\\'"],
    ['util.matches("a*b", "aaaaab")', true],
    ['util.typeOf([])', 'List'],
    ['util.isNullOrBlank("  ")', true],
    ['util.str.normalize("e\\u0301", "nfc")', 'é'],
    ['util.math.roundNum(2.5)', 3],
    [
      'util.time.epochMilliSecondsToFormatted(1517943695758, "yyyy-MM-dd HH:mm:ssZ", "Australia/Perth")',
      '2018-02-07 03:01:35+0800',
    ],
    ['util.time.parseFormattedToEpochMilliSeconds("2018-02-02 01:19:22+0800", "yyyy-MM-dd HH:mm:ssZ")', 1517505562000],
    ['util.time.parseISO8601ToEpochMilliSeconds("2018-02-01T17:21:05.180+08:00")', 1517476865180],
    ['util.time.epochMilliSecondsToISO8601(1517943695758)', '2018-02-06T19:01:35.758Z'],
    ['util.http.copyHeaders({ host: "x", accept: "y" })', { accept: 'y' }],
    ['util.xml.toMap("<note><id>1</id></note>")', { note: { id: 1 } }],
  ])('%s', (expression, expected) => {
    expect(inRealm(expression)).toEqual(expected);
  });

  it('makes ids with the host random source', () => {
    const ids = inRealm('[util.autoId(), util.autoUlid(), util.autoKsuid(), util.math.randomWithinRange(1, 6)]') as [
      string,
      string,
      string,
      number,
    ];
    expect(ids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ids[1]).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(ids[2]).toMatch(/^[0-9A-Za-z]{27}$/);
    expect(ids[3]).toBeGreaterThanOrEqual(1);
    expect(ids[3]).toBeLessThanOrEqual(6);
  });

  it('reads the auth type from the identity', () => {
    expect(inRealm('util.authType()', { identity: { resolverContext: { user: 'a' } } })).toBe('Lambda Authorization');
  });

  it('reports a bad time zone as an evaluation error', () => {
    const output = evaluate(moduleReturning('util.time.nowFormatted("yyyy", "Mars/Olympus")'));
    expect(output.evaluationResult).toBeUndefined();
    expect(JSON.stringify(output.error)).toContain('Unknown time-zone ID: Mars/Olympus');
  });
});
