/**
 * Lambda entry point: Cognito's VerifyAuthChallengeResponse trigger. Composed during initialisation
 * (top-level await), so a bad setup fails the init phase.
 */
import { lambdaVerifyAuthChallengeResponseHandler } from "../../composition/lambda-triggers.js";

export const handler = await lambdaVerifyAuthChallengeResponseHandler(process.env);
