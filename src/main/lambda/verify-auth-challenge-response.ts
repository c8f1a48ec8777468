/**
 * Lambda entry point: Cognito's VerifyAuthChallengeResponse trigger. Composed during initialisation
 * (top-level await), so a bad setup fails the init phase.
 */
import { lambdaTriggers } from "../../composition/lambda.js";
import type { VerifyAuthChallengeResponseEvent } from "../../ports/custom-challenge-triggers.js";
import { jsonLineLog } from "../../handlers/http/log.js";
import { maskTriggerFaults } from "../../handlers/lambda/shell.js";

const log = jsonLineLog();
const triggers = await lambdaTriggers(undefined, { log });

export const handler = maskTriggerFaults<VerifyAuthChallengeResponseEvent>(
  "verify_auth_challenge_response",
  "VerifyAuthChallengeResponse_Authentication",
  triggers.verifyAuthChallengeResponse,
  log,
);
