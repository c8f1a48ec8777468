/**
 * Lambda entry point: the HTTP API (API Gateway HTTP API, payload format 2.0). Its services are composed
 * during the function's initialisation (top-level await), so a bad configuration or an unreadable secret
 * fails the init phase, loudly, rather than each request.
 */
import { lambdaHttpApiHandler } from "../../composition/lambda-http-api.js";

export const handler = await lambdaHttpApiHandler(process.env);
