/**
 * A UserPool that answers what each test sets and records what it was asked, for the local Cognito
 * API's shell alone (the real pool, LocalUserPool, has tests of its own and the real-client tests).
 */
import type { AuthenticationResult, AuthOutcome, UserPool, UserPoolFailure, UserPoolResult } from "../../../src/ports/user-pool.js";

type Method = "signUp" | "initiateAuth" | "respondToAuthChallenge" | "getTokensFromRefreshToken" | "getUser" | "revokeToken" | "globalSignOut";

export const TOKENS = {
  accessToken: "access.token.value",
  idToken: "id.token.value",
  refreshToken: "refresh-token-value",
  expiresIn: 3600,
  tokenType: "Bearer",
} as const;

export const PASSKEY_CHALLENGE: AuthOutcome = {
  kind: "challenge",
  challengeName: "CUSTOM_CHALLENGE",
  session: "session-value",
  challengeParameters: { credentialRequestOptions: '{"challenge":"abc"}' },
};

export class FakeUserPool implements UserPool {
  readonly userPoolId = "us-east-1_keyportlocal";
  readonly clientId = "keyportlocalclient";
  readonly calls: { readonly method: Method; readonly input: unknown }[] = [];
  /** What the next calls answer, per method; a function may throw. */
  readonly answers: { [M in Method]?: () => Promise<UserPoolResult<unknown>> } = {};

  fail(method: Method, error: UserPoolFailure): void {
    this.answers[method] = async () => ({ ok: false, error });
  }

  async #answer<T>(method: Method, input: unknown, fallback: T): Promise<UserPoolResult<T>> {
    this.calls.push({ method, input });
    const answer = this.answers[method];
    // A test sets an answer of the method's own type (or a failure).
    return answer === undefined ? { ok: true, value: fallback } : ((await answer()) as UserPoolResult<T>);
  }

  signUp(input: Parameters<UserPool["signUp"]>[0]) {
    return this.#answer("signUp", input, { userSub: "sub-1", userConfirmed: true as const });
  }

  initiateAuth(input: Parameters<UserPool["initiateAuth"]>[0]) {
    return this.#answer<AuthOutcome>("initiateAuth", input, PASSKEY_CHALLENGE);
  }

  respondToAuthChallenge(input: Parameters<UserPool["respondToAuthChallenge"]>[0]) {
    return this.#answer<AuthOutcome>("respondToAuthChallenge", input, { kind: "tokens", authenticationResult: TOKENS });
  }

  getTokensFromRefreshToken(input: Parameters<UserPool["getTokensFromRefreshToken"]>[0]) {
    return this.#answer<AuthenticationResult>("getTokensFromRefreshToken", input, TOKENS);
  }

  getUser(input: Parameters<UserPool["getUser"]>[0]) {
    return this.#answer("getUser", input, { username: "user-1", userAttributes: { sub: "sub-1", email: "ada@example.com" } });
  }

  revokeToken(input: Parameters<UserPool["revokeToken"]>[0]) {
    return this.#answer<void>("revokeToken", input, undefined);
  }

  globalSignOut(input: Parameters<UserPool["globalSignOut"]>[0]) {
    return this.#answer<void>("globalSignOut", input, undefined);
  }
}
