// The `@aws-appsync/utils` module as resolver code sees it: `util`, `runtime` and `extensions`.
// Each family lives in its own file; this one only assembles them.
import { errorUtils } from './errors';
import { idUtils } from './ids';
import { encodingUtils } from './encoding';
import { typeUtils } from './types';
import { miscUtils } from './misc';
import { time } from './time';
import { math } from './math';
import { str } from './str';
import { http } from './http';
import { dynamodb } from './dynamodb';
import { transform } from './transform';
import { xml } from './xml';
import { rds } from './rds';
import { runtime } from './runtime';
import { extensions } from './extensions';

export const util = {
  ...errorUtils,
  ...idUtils,
  ...encodingUtils,
  ...typeUtils,
  ...miscUtils,
  time,
  math,
  str,
  http,
  dynamodb,
  transform,
  xml,
  rds,
};

export { runtime, extensions };
