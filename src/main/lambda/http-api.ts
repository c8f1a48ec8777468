/**
 * Lambda entry point: the HTTP API (API Gateway HTTP API, payload format 2.0).
 * Its services are composed during the function's initialisation (top-level await), so a bad
 * configuration or an unreadable secret fails the init phase, loudly, rather than each request.
 */
import { lambdaHttpApiServices } from "../../composition/lambda.js";
import { jsonLineLog } from "../../handlers/http/log.js";
import { createHttpApiHandler } from "../../handlers/lambda/http-api-handler.js";

const log = jsonLineLog();

export const handler = createHttpApiHandler(await lambdaHttpApiServices(undefined, { log }), { log });
