// What the local user pool keeps: one pool with one public app client, its users and groups, and the sessions that
// were ended early. All of it is one JSON document (store.ts writes it crash-safely).
import type { PasswordVerifier } from './srp';

export type UserStatus = 'UNCONFIRMED' | 'CONFIRMED' | 'FORCE_CHANGE_PASSWORD' | 'RESET_REQUIRED';

export interface OneTimeCode {
  code: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

export interface StoredUser {
  /** The internal username; for a pool that signs in by email, a UUID equal to `sub`. Never changes. */
  username: string;
  /** Every attribute as Cognito returns it, `sub` included; values are strings (`email_verified: "true"`). */
  attributes: Record<string, string>;
  status: UserStatus;
  enabled: boolean;
  /** The SRP verifier: the password itself is never kept. */
  password: PasswordVerifier;
  /** When a temporary password (AdminCreateUser) stops working, in ms. */
  temporaryPasswordExpiresAt?: number;
  createdAt: number;
  updatedAt: number;
  signUpCode?: OneTimeCode;
  passwordResetCode?: OneTimeCode;
  /** A new email address waiting for its code (the old one stays until then). */
  pendingEmail?: OneTimeCode & { value: string };
  /** GlobalSignOut: every session that started before this instant (ms) is over. */
  signedOutAt?: number;
}

export interface StoredGroup {
  name: string;
  description?: string;
  precedence?: number;
  createdAt: number;
  updatedAt: number;
  /** Internal usernames. */
  members: string[];
}

export interface PasswordPolicy {
  minimumLength: number;
  requireLowercase: boolean;
  requireUppercase: boolean;
  requireNumbers: boolean;
  requireSymbols: boolean;
  temporaryPasswordValidityDays: number;
}

export interface StoredPool {
  id: string;
  name: string;
  createdAt: number;
  passwordPolicy: PasswordPolicy;
}

export interface StoredClient {
  id: string;
  name: string;
  /** `ALLOW_USER_SRP_AUTH`, `ALLOW_USER_PASSWORD_AUTH`, `ALLOW_REFRESH_TOKEN_AUTH`, ... */
  explicitAuthFlows: string[];
  idTokenValiditySeconds: number;
  accessTokenValiditySeconds: number;
  refreshTokenValiditySeconds: number;
  /** How long a sign-in's challenge (the SRP secret block) stays answerable. */
  authSessionValiditySeconds: number;
  preventUserExistenceErrors: boolean;
  /** GetTokensFromRefreshToken issues a new refresh token and retires the old one after the grace period. */
  refreshTokenRotation: { enabled: boolean; retryGracePeriodSeconds: number };
}

export interface PoolDocument {
  format: 'appsync-local-user-pool';
  version: 1;
  pool: StoredPool;
  client: StoredClient;
  /** By internal username. */
  users: Record<string, StoredUser>;
  groups: Record<string, StoredGroup>;
  /** RevokeToken: session (origin_jti) → when its refresh token would have expired anyway (ms), to prune. */
  revokedSessions: Record<string, number>;
  /** Rotated-out refresh tokens (by their jti): usable until `usableUntil`, kept until `expiresAt` (ms). */
  retiredRefreshTokens: Record<string, { usableUntil: number; expiresAt: number }>;
}
