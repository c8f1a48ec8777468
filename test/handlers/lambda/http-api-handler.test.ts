import { describe, expect, it } from "vitest";
import { faultResponse } from "../../../src/handlers/http/fault.js";
import type { LogEntry } from "../../../src/handlers/http/log.js";
import { createHttpApiHandler } from "../../../src/handlers/lambda/http-api-handler.js";
import { StorageUnavailableError } from "../../../src/ports/storage-unavailable-error.js";
import { apiGatewayEvent } from "./events.js";

function broken(fault: unknown) {
  const logs: LogEntry[] = [];
  const handler = createHttpApiHandler(Promise.reject(fault), { log: (entry) => logs.push(entry) });
  return { handler, logs };
}

describe("the HTTP API Lambda's fallback answer", () => {
  it("is faultResponse's, headers included, with the Lambda request id in the log line", async () => {
    const { handler, logs } = broken(new Error("composition exploded"));
    const result = await handler(apiGatewayEvent("GET", "/healthz"), { awsRequestId: "aws-req-1" } as never);
    const reference = String(result.headers["x-correlation-id"]);
    const expected = faultResponse("internal_error", reference);
    expect(result).toEqual({ statusCode: 500, headers: expected.headers, body: JSON.stringify(expected.body), isBase64Encoded: false });
    expect(result.headers["x-frame-options"]).toBe("DENY");
    expect(logs).toEqual([expect.objectContaining({ awsRequestId: "aws-req-1", event: "unhandled_error", correlationId: reference })]);
  });

  it("classifies a storage fault as the app does: 503 storage_unavailable", async () => {
    const { handler, logs } = broken(new StorageUnavailableError("read", true, new Error("timeout")));
    const result = await handler(apiGatewayEvent("GET", "/healthz"));
    expect(result.statusCode).toBe(503);
    expect(JSON.parse(result.body).error.code).toBe("storage_unavailable");
    expect(logs).toEqual([expect.objectContaining({ event: "storage_unavailable" })]);
  });
});
