/** Lambda entry point: the FIDO metadata refresh, run on the stack's schedule (ADR 0027), composed at initialisation from the function's environment. */
import { lambdaMdsRefreshHandler } from "../../composition/lambda-mds-refresh.js";

export const handler = lambdaMdsRefreshHandler(process.env);
