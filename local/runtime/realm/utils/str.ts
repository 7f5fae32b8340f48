// util.str. AppSync's JavaScript reference documents `normalize`; toUpper, toLower and toReplace are the other
// `$util.str` helpers of its VTL reference, kept with the same meaning for resolvers ported from VTL.
import { requireString } from './internal/args';

const NORMALIZATION_FORMS = ['nfc', 'nfd', 'nfkc', 'nfkd'];

function normalize(value: string, normalizationType: string): string {
  requireString('util.str.normalize', 'value', value);
  requireString('util.str.normalize', 'normalizationType', normalizationType);
  const form = normalizationType.toLowerCase();
  if (!NORMALIZATION_FORMS.includes(form)) {
    throw new RangeError(
      `util.str.normalize: normalizationType must be one of ${NORMALIZATION_FORMS.join(', ')}, got '${normalizationType}'`,
    );
  }
  return value.normalize(form.toUpperCase());
}

function toUpper(value: string): string {
  return requireString('util.str.toUpper', 'value', value).toUpperCase();
}

function toLower(value: string): string {
  return requireString('util.str.toLower', 'value', value).toLowerCase();
}

/** Replaces every occurrence of `search` (taken literally, not as a pattern), like Java's String#replace. */
function toReplace(value: string, search: string, replacement: string): string {
  requireString('util.str.toReplace', 'value', value);
  requireString('util.str.toReplace', 'search', search);
  requireString('util.str.toReplace', 'replacement', replacement);
  // Java puts the replacement around every character when the search string is empty.
  if (search === '') return replacement + Array.from(value).join(replacement) + (value === '' ? '' : replacement);
  return value.split(search).join(replacement);
}

export const str = { normalize, toUpper, toLower, toReplace };
