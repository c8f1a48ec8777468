import { describe, expect, it } from "vitest";
import type { LogEntry } from "../../../src/handlers/http/log.js";
import { endingEachInvocationWith, maskTriggerFaults } from "../../../src/handlers/lambda/shell.js";
import { StorageUnavailableError } from "../../../src/ports/storage-unavailable-error.js";

type Event = { readonly triggerSource: string };

function masked(run: (event: Event) => Promise<Event>) {
  const logs: LogEntry[] = [];
  const trigger = maskTriggerFaults<Event>("create_auth_challenge", "CreateAuthChallenge_Authentication", run, (entry) => logs.push(entry));
  const failure = (event: Event) =>
    trigger(event).then(
      () => null,
      (fault: unknown) => fault as Error,
    );
  return { trigger, failure, logs };
}

const EVENT: Event = { triggerSource: "CreateAuthChallenge_Authentication" };

describe("maskTriggerFaults", () => {
  it("passes its own trigger source through untouched", async () => {
    const { trigger, logs } = masked(async (event) => event);
    expect(await trigger(EVENT)).toBe(EVENT);
    expect(logs).toEqual([]);
  });

  it("logs a storage fault as the HTTP API does, and throws only the reference", async () => {
    const { failure, logs } = masked(() => Promise.reject(new StorageUnavailableError("consume session", true, new Error("ThrottlingException on keyport-sessions"))));
    const thrown = await failure(EVENT);
    const reference = /\(reference ([0-9a-f-]{36})\)$/.exec(thrown?.message ?? "")?.[1];
    expect(thrown?.message).toBe(`keyport could not complete this sign-in step (reference ${reference})`);
    expect(logs).toEqual([
      expect.objectContaining({ trigger: "create_auth_challenge", level: "error", event: "storage_unavailable", correlationId: reference, error: "StorageUnavailableError" }),
    ]);
    expect(logs[0]?.message).toContain("ThrottlingException");
  });

  it("refuses an event of another trigger as a fault", async () => {
    const { failure, logs } = masked(async (event) => event);
    expect((await failure({ triggerSource: "DefineAuthChallenge_Authentication" }))?.message).toMatch(/^keyport could not complete/);
    expect(logs).toEqual([expect.objectContaining({ event: "unhandled_error", error: "TypeError", message: expect.stringContaining("DefineAuthChallenge_Authentication") })]);
  });
});

describe("endingEachInvocationWith", () => {
  it("runs its end after the handler has answered, before the invocation returns", async () => {
    const steps: string[] = [];
    const handler = endingEachInvocationWith(
      async (event: string) => {
        steps.push(`handled ${event}`);
        return `answer to ${event}`;
      },
      () => steps.push("published"),
    );
    expect(await handler("one")).toBe("answer to one");
    expect(await handler("two")).toBe("answer to two");
    expect(steps).toEqual(["handled one", "published", "handled two", "published"]);
  });

  it("runs it after a failed invocation too, and passes the failure on", async () => {
    const steps: string[] = [];
    const handler = endingEachInvocationWith(
      async () => Promise.reject(new Error("trigger failed")),
      () => steps.push("published"),
    );
    await expect(handler()).rejects.toThrow("trigger failed");
    expect(steps).toEqual(["published"]);
  });
});
