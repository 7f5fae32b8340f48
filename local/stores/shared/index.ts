// What the local stores (S3, Cognito, DynamoDB) share: their servers' lifecycle and addresses, bodies, files.
export {
  BodyTooLargeError,
  closeServer,
  endpointUrl,
  IncompleteBodyError,
  isWildcardHost,
  listen,
  readBodyWithin,
  requestUrl,
  urlHost,
} from './http';
export { createFileExclusively, syncFolder, TEMPORARY_FILE_PREFIX, writeFileAtomic } from './files';
