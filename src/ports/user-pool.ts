/**
 * Amazon Cognito's user-pool API as an app calls it (InitiateAuth, RespondToAuthChallenge, …), played by
 * keyport's local identity provider so that apps using the AWS SDK or Amplify run against `npm start`
 * unchanged. The local server's AWS JSON 1.1 shell (src/handlers/cognito-api) decodes the wire into
 * these types and writes the answers back in Cognito's shapes; this port speaks Cognito's own names.
 * On AWS, Cognito itself answers: nothing implements this port there.
 */
import type { Ok } from "../domain/result.js";

/** Cognito's exception names (`__type`) that the local pool answers; the shell adds the HTTP status. */
export type UserPoolErrorType =
  | "InvalidParameterException"
  | "NotAuthorizedException"
  | "UsernameExistsException"
  | "InvalidPasswordException"
  | "UserNotFoundException"
  | "ResourceNotFoundException"
  | "TooManyRequestsException"
  | "UnsupportedOperationException"
  | "InternalErrorException";

/** An expected failure: Cognito's exception name and a message for the developer (never a secret). */
export interface UserPoolFailure {
  readonly type: UserPoolErrorType;
  readonly message: string;
}

/** An operation's answer: its value, or Cognito's exception (a string code alone would lose the message). */
export type UserPoolResult<T> = Ok<T> | { readonly ok: false; readonly error: UserPoolFailure };

export type AuthFlow = "USER_PASSWORD_AUTH" | "USER_SRP_AUTH" | "CUSTOM_AUTH" | "REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN";

export type ChallengeName = "PASSWORD_VERIFIER" | "CUSTOM_CHALLENGE";

/** Cognito's `AuthenticationResult`. A refresh with rotation off leaves `refreshToken` out. */
export interface AuthenticationResult {
  readonly accessToken: string;
  readonly idToken: string;
  readonly refreshToken?: string;
  readonly expiresIn: number;
  readonly tokenType: "Bearer";
}

/** What InitiateAuth and RespondToAuthChallenge answer: a further challenge, or tokens. */
export type AuthOutcome =
  | { readonly kind: "challenge"; readonly challengeName: ChallengeName; readonly session: string; readonly challengeParameters: Readonly<Record<string, string>> }
  | { readonly kind: "tokens"; readonly authenticationResult: AuthenticationResult };

/** Every operation names the app client; an unknown one is `ResourceNotFoundException`. */
export interface UserPool {
  /** The pool's id (`us-east-1_keyportlocal` by default) and its one app client's id. */
  readonly userPoolId: string;
  readonly clientId: string;

  /** SignUp: a user with a password, confirmed at once (no code is sent locally). */
  signUp(input: {
    readonly clientId: string;
    readonly username: string;
    readonly password: string;
    readonly userAttributes: Readonly<Record<string, string>>;
    readonly clientMetadata?: Readonly<Record<string, string>>;
  }): Promise<UserPoolResult<{ readonly userSub: string; readonly userConfirmed: true }>>;

  /**
   * InitiateAuth. `authParameters` as Cognito names them: USERNAME, PASSWORD, SRP_A, CHALLENGE_NAME, REFRESH_TOKEN, SECRET_HASH.
   * REFRESH_TOKEN_AUTH (and its alias REFRESH_TOKEN) answers as on an app client without rotation: new ID
   * and access tokens, no refresh token, the one given staying valid.
   */
  initiateAuth(input: {
    readonly clientId: string;
    readonly authFlow: AuthFlow;
    readonly authParameters: Readonly<Record<string, string>>;
    readonly clientMetadata?: Readonly<Record<string, string>>;
  }): Promise<UserPoolResult<AuthOutcome>>;

  /** RespondToAuthChallenge. `challengeResponses` as Cognito names them: USERNAME, ANSWER, PASSWORD_CLAIM_SIGNATURE, … */
  respondToAuthChallenge(input: {
    readonly clientId: string;
    readonly challengeName: ChallengeName;
    readonly session: string;
    readonly challengeResponses: Readonly<Record<string, string>>;
    readonly clientMetadata?: Readonly<Record<string, string>>;
  }): Promise<UserPoolResult<AuthOutcome>>;

  /**
   * GetTokensFromRefreshToken, which Amplify v6 refreshes with: new ID and access tokens and, the local
   * app client rotating refresh tokens (ADR 0016), a new refresh token; the one given is refused from then on.
   */
  getTokensFromRefreshToken(input: {
    readonly clientId: string;
    readonly refreshToken: string;
    readonly clientMetadata?: Readonly<Record<string, string>>;
  }): Promise<UserPoolResult<AuthenticationResult>>;

  /** GetUser: the user an access token names, with their attributes (`sub` among them). */
  getUser(input: { readonly accessToken: string }): Promise<
    UserPoolResult<{ readonly username: string; readonly userAttributes: Readonly<Record<string, string>> }>
  >;

  /** RevokeToken: ends the sign-in of a refresh token; unknown tokens are no error. */
  revokeToken(input: { readonly clientId: string; readonly token: string }): Promise<UserPoolResult<void>>;

  /** GlobalSignOut: ends every sign-in of the user an access token names. */
  globalSignOut(input: { readonly accessToken: string }): Promise<UserPoolResult<void>>;
}
