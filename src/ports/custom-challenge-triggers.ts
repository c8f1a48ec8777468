/**
 * The custom-challenge triggers: what an identity provider calls during a custom-challenge sign-in
 * (Cognito's Define/Create/VerifyAuthChallenge Lambda triggers). keyport's trigger handlers
 * (src/handlers/cognito) implement this port; Cognito calls them on AWS, and the local identity provider
 * (an adapter) is given them through its constructor and calls them in-process.
 *
 * The events are typed as the Cognito developer guide documents them ("Custom authentication challenge
 * Lambda triggers"). Only the fields keyport reads or writes are typed.
 *
 * The types are a promise of the caller's, not a guarantee: events arrive as JSON that keyport did not
 * write. An implementation reads them as untrusted (keyport's trigger handlers decode each field they
 * use) and fails closed. A field that is not as typed here fails the sign-in (Define), publishes no
 * challenge (Create) or makes the answer wrong (Verify); it never makes a trigger throw (faults of the
 * stores still do), and is never read as a success. A `challengeResult` or a `userNotFound` counts
 * only when it is the boolean `true`; `userNotFound` may be absent or null, anything else in it fails
 * the sign-in.
 */
import type { CustomChallengeResult } from "../domain/custom-challenge/custom-challenge.js";

interface TriggerEventBase<TSource extends string, TRequest, TResponse> {
  version: string;
  region: string;
  userPoolId: string;
  /** The user pool's username: for passkey sign-ups the WebAuthn user handle. */
  userName: string;
  callerContext: { awsSdkVersion: string; clientId: string };
  triggerSource: TSource;
  request: TRequest;
  response: TResponse;
}

interface RequestBase {
  userAttributes: Record<string, string>;
  clientMetadata?: Record<string, string>;
  /** Populated when the app client has `PreventUserExistenceErrors`; `true` when the user does not exist. */
  userNotFound?: boolean;
}

export type DefineAuthChallengeEvent = TriggerEventBase<
  "DefineAuthChallenge_Authentication",
  RequestBase & { session: CustomChallengeResult[] },
  { challengeName?: string; issueTokens?: boolean; failAuthentication?: boolean }
>;

export type CreateAuthChallengeEvent = TriggerEventBase<
  "CreateAuthChallenge_Authentication",
  RequestBase & { challengeName: string; session: CustomChallengeResult[] },
  { publicChallengeParameters?: Record<string, string>; privateChallengeParameters?: Record<string, string>; challengeMetadata?: string }
>;

export type VerifyAuthChallengeResponseEvent = TriggerEventBase<
  "VerifyAuthChallengeResponse_Authentication",
  RequestBase & { privateChallengeParameters: Record<string, string>; challengeAnswer: string },
  { answerCorrect?: boolean }
>;

/** The three triggers, each answering by filling in its event's `response`. */
export interface CustomChallengeTriggers {
  defineAuthChallenge(event: DefineAuthChallengeEvent): Promise<DefineAuthChallengeEvent>;
  createAuthChallenge(event: CreateAuthChallengeEvent): Promise<CreateAuthChallengeEvent>;
  verifyAuthChallengeResponse(event: VerifyAuthChallengeResponseEvent): Promise<VerifyAuthChallengeResponseEvent>;
}
