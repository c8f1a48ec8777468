/**
 * The Cognito custom-authentication trigger events, as the Cognito developer guide documents them
 * ("Custom authentication challenge Lambda triggers"). Only the fields keyport reads or writes are typed.
 */
import type { ChallengeResult } from "../../domain/challenge-state-machine.js";

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
  /** Set when the pool has `preventUserExistenceErrors` and the user does not exist. */
  userNotFound?: boolean;
}

export type DefineAuthChallengeEvent = TriggerEventBase<
  "DefineAuthChallenge_Authentication",
  RequestBase & { session: ChallengeResult[] },
  { challengeName?: string; issueTokens?: boolean; failAuthentication?: boolean }
>;

export type CreateAuthChallengeEvent = TriggerEventBase<
  "CreateAuthChallenge_Authentication",
  RequestBase & { challengeName: string; session: ChallengeResult[] },
  { publicChallengeParameters?: Record<string, string>; privateChallengeParameters?: Record<string, string>; challengeMetadata?: string }
>;

export type VerifyAuthChallengeResponseEvent = TriggerEventBase<
  "VerifyAuthChallengeResponse_Authentication",
  RequestBase & { privateChallengeParameters: Record<string, string>; challengeAnswer: string },
  { answerCorrect?: boolean }
>;
