/**
 * The errors of the local Cognito API, as Amazon Cognito's JSON protocol carries them: the exception's
 * name in the body's `__type` (what the AWS SDK reads first) and in the `x-amzn-ErrorType` header (what
 * Amplify reads first), a `message` beside it, and Cognito's status: 400 for every client error, 500
 * for `InternalErrorException`. Free of hono, so that the table can be checked on its own.
 */
import type { UserPoolErrorType } from "../../ports/user-pool.js";

/**
 * Failures of the exchange itself, found before the pool is called, named as AWS's JSON protocol names
 * them: a body that is not one JSON object (`SerializationException`), a target that is not an
 * operation the local pool plays (`UnknownOperationException`), a body over the size limit.
 */
export type ProtocolErrorType = "SerializationException" | "UnknownOperationException" | "RequestEntityTooLargeException";

export type CognitoErrorType = UserPoolErrorType | ProtocolErrorType;

export interface CognitoFailure {
  readonly type: CognitoErrorType;
  readonly message: string;
}

/** Every name this API answers with, and its status: Cognito answers 400 for all but its own faults. */
const STATUS: Readonly<Record<CognitoErrorType, 400 | 413 | 500>> = {
  InvalidParameterException: 400,
  NotAuthorizedException: 400,
  UsernameExistsException: 400,
  InvalidPasswordException: 400,
  UserNotFoundException: 400,
  ResourceNotFoundException: 400,
  TooManyRequestsException: 400,
  UnsupportedOperationException: 400,
  SerializationException: 400,
  UnknownOperationException: 400,
  // keyport's HTTP API answers its size limit with 413 too (payload_too_large).
  RequestEntityTooLargeException: 413,
  InternalErrorException: 500,
};

export const isCognitoErrorType = (type: unknown): type is CognitoErrorType => typeof type === "string" && Object.hasOwn(STATUS, type);

export const statusOf = (type: CognitoErrorType): 400 | 413 | 500 => STATUS[type];

/** The one message a fault gets: nothing but the reference to its log line. */
export const internalErrorMessage = (correlationId: string): string => `Something went wrong on our side (reference ${correlationId}).`;

/** AWS's JSON protocols name the content type after their version; Cognito speaks 1.1. */
export const AMZ_JSON_1_1 = "application/x-amz-json-1.1";
