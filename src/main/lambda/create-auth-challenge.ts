/**
 * Lambda entry point: Cognito's CreateAuthChallenge trigger. Composed during initialisation (top-level
 * await: the unknown-user secret is read from Secrets Manager then), so a bad setup fails the init phase.
 */
import { lambdaTriggers } from "../../composition/lambda.js";
import type { CreateAuthChallengeEvent } from "../../ports/custom-challenge-triggers.js";
import { jsonLineLog } from "../../handlers/http/log.js";
import { maskTriggerFaults } from "../../handlers/lambda/shell.js";

const log = jsonLineLog();
const triggers = await lambdaTriggers(undefined, { log });

export const handler = maskTriggerFaults<CreateAuthChallengeEvent>("create_auth_challenge", "CreateAuthChallenge_Authentication", triggers.createAuthChallenge, log);
