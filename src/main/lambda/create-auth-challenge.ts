/**
 * Lambda entry point: Cognito's CreateAuthChallenge trigger. Composed during initialisation (top-level
 * await: the unknown-user secret is read from Secrets Manager then), so a bad setup fails the init phase.
 */
import { lambdaCreateAuthChallengeHandler } from "../../composition/lambda-triggers.js";

export const handler = await lambdaCreateAuthChallengeHandler(process.env);
