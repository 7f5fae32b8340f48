// What the integration suite runs against: the local server (`npm start`'s stack, in this process) or a deployed
// stack. Test files that use only this interface run unchanged against both (`npm run test:deployed`).
import type { NotesClient } from '../../../client/src/index';

export interface SignedInUser {
  email: string;
  /** The Cognito `sub`: the owner of every note and file this user creates. */
  sub: string;
  idToken: string;
  accessToken: string;
  /** The typed SDK, sending this user's ID token. */
  client: NotesClient;
}

/** The uploads bucket as its owner sees it: to check what the API stored or deleted. */
export interface UploadsBucket {
  name: string;
  /** HEAD with the bucket owner's credentials. */
  exists(key: string): Promise<boolean>;
  /** Every key under `prefix`. */
  keys(prefix: string): Promise<string[]>;
  /** The object's address with no signature at all: what anyone without credentials could request. */
  unsignedUrl(key: string): string;
}

export interface E2ETarget {
  /** For messages: which server the suite is talking to. */
  description: string;
  graphqlUrl: string;
  /** Two users; neither may reach the other's notes or files. */
  alice: SignedInUser;
  bob: SignedInUser;
  bucket: UploadsBucket;
  close(): Promise<void>;
}

/** `uploads/<sub>/`: where createUploadUrl puts a user's uploads until they are attached. */
export function uploadPrefix(user: Pick<SignedInUser, 'sub'>): string {
  return `uploads/${user.sub}/`;
}

/** `private/<sub>/`: where a user's notes keep their own copies of attached files. */
export function noteFilesPrefix(user: Pick<SignedInUser, 'sub'>): string {
  return `private/${user.sub}/`;
}
