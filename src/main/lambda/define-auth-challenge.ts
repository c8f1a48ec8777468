/** Lambda entry point: Cognito's DefineAuthChallenge trigger, composed at initialisation from the function's environment. */
import { lambdaDefineAuthChallengeHandler } from "../../composition/lambda-define-auth-challenge.js";

export const handler = lambdaDefineAuthChallengeHandler(process.env);
