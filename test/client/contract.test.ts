/**
 * The client's types are the API's: a type test, checked by `npm run typecheck` (tsc over test/),
 * where a server shape that drifts from the client's fails to compile. The client declares its types
 * itself (its bundle must carry nothing of the server), so this is what keeps the two in step.
 */
import { describe, expectTypeOf, it } from "vitest";
import type { Account, ApiErrorCode, Passkey, SecurityEvent, SecurityEventType, Signal } from "../../src/client/index.js";
import type { SecurityEventType as DomainEventType } from "../../src/domain/activity/security-events.js";
import type { Signal as DomainSignal } from "../../src/domain/management/signals.js";
import type { HttpErrorCode } from "../../src/handlers/http/errors.js";
import type { accountJson } from "../../src/handlers/http/routes/account.js";
import type { passkeyJson } from "../../src/handlers/http/routes/credentials.js";
import type { eventJson } from "../../src/handlers/http/routes/events.js";

describe("the client's types and the server's", () => {
  it("name the same error codes", () => {
    expectTypeOf<ApiErrorCode>().toEqualTypeOf<HttpErrorCode>();
  });

  it("name the same event types", () => {
    expectTypeOf<SecurityEventType>().toEqualTypeOf<DomainEventType>();
  });

  it("take every answer the server gives as it gives it", () => {
    expectTypeOf<ReturnType<typeof passkeyJson>>().toExtend<Passkey>();
    expectTypeOf<ReturnType<typeof accountJson>>().toExtend<Account>();
    expectTypeOf<ReturnType<typeof eventJson>>().toExtend<SecurityEvent>();
    expectTypeOf<DomainSignal>().toExtend<Signal>();
  });
});
