// Every operation the local pool answers, and who may call it: anyone (what a web or mobile app calls, some with the
// user's access token inside the request) or only an IAM-signed caller (the administrator's calls). An operation
// Cognito has but this pool does not answers UnsupportedOperationException naming it.
import type { ApiRequest, PoolContext } from '../context';
import * as admin from './admin';
import * as passwords from './passwords';
import * as profile from './profile';
import * as sessions from './sessions';
import * as signIn from './sign-in';
import * as signUp from './sign-up';

export type Operation = (ctx: PoolContext, request: ApiRequest) => Promise<unknown>;

export interface OperationEntry {
  run: Operation;
  /** `iam`: only with a valid SigV4 signature made with the local credentials. */
  caller: 'public' | 'iam';
}

const publicOperations: Record<string, Operation> = {
  SignUp: signUp.signUp,
  ConfirmSignUp: signUp.confirmSignUp,
  ResendConfirmationCode: signUp.resendConfirmationCode,
  InitiateAuth: signIn.initiateAuth,
  RespondToAuthChallenge: signIn.respondToAuthChallenge,
  GetTokensFromRefreshToken: sessions.getTokensFromRefreshToken,
  GlobalSignOut: sessions.globalSignOut,
  RevokeToken: sessions.revokeToken,
  ForgotPassword: passwords.forgotPassword,
  ConfirmForgotPassword: passwords.confirmForgotPassword,
  ChangePassword: passwords.changePassword,
  GetUser: profile.getUser,
  UpdateUserAttributes: profile.updateUserAttributes,
  VerifyUserAttribute: profile.verifyUserAttribute,
  DeleteUser: profile.deleteUser,
};

const iamOperations: Record<string, Operation> = {
  AdminCreateUser: admin.adminCreateUser,
  AdminGetUser: admin.adminGetUser,
  AdminDeleteUser: admin.adminDeleteUser,
  AdminConfirmSignUp: admin.adminConfirmSignUp,
  AdminUpdateUserAttributes: admin.adminUpdateUserAttributes,
  AdminDisableUser: admin.adminDisableUser,
  AdminEnableUser: admin.adminEnableUser,
  AdminSetUserPassword: passwords.adminSetUserPassword,
  AdminUserGlobalSignOut: sessions.adminUserGlobalSignOut,
  AdminAddUserToGroup: admin.adminAddUserToGroup,
  AdminRemoveUserFromGroup: admin.adminRemoveUserFromGroup,
  AdminListGroupsForUser: admin.adminListGroupsForUser,
  ListUsers: admin.listUsers,
  ListUsersInGroup: admin.listUsersInGroup,
  CreateGroup: admin.createGroup,
  GetGroup: admin.getGroup,
  ListGroups: admin.listGroups,
  DeleteGroup: admin.deleteGroup,
  DescribeUserPool: admin.describeUserPool,
  DescribeUserPoolClient: admin.describeUserPoolClient,
  ListUserPoolClients: admin.listUserPoolClients,
  ListUserPools: admin.listUserPools,
};

export const OPERATIONS: Record<string, OperationEntry> = {
  ...Object.fromEntries(
    Object.entries(publicOperations).map(([name, run]) => [name, { run, caller: 'public' as const }]),
  ),
  ...Object.fromEntries(Object.entries(iamOperations).map(([name, run]) => [name, { run, caller: 'iam' as const }])),
};

/**
 * Operations a web client may call without AWS credentials on Cognito (the API reference marks them "doesn't
 * evaluate IAM policies"), which this pool does not implement: refused as unsupported, never as unsigned.
 */
export const UNSUPPORTED_PUBLIC_OPERATIONS = new Set([
  'AssociateSoftwareToken',
  'VerifySoftwareToken',
  'SetUserMFAPreference',
  'SetUserSettings',
  'ConfirmDevice',
  'ForgetDevice',
  'GetDevice',
  'ListDevices',
  'UpdateDeviceStatus',
  'GetUserAttributeVerificationCode',
  'DeleteUserAttributes',
  'GetUserAuthFactors',
  'StartWebAuthnRegistration',
  'CompleteWebAuthnRegistration',
  'ListWebAuthnCredentials',
  'DeleteWebAuthnCredential',
]);
