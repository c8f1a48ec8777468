import { describe, expect, it, vi } from "vitest";
import { oncePerColdStart } from "../../src/composition/lambda-cold-start.js";

describe("oncePerColdStart", () => {
  it("composes on the first call and shares the result with every later call, whatever their arguments", async () => {
    const compose = vi.fn(async (name: string) => ({ name }));
    const composed = oncePerColdStart(compose);
    const first = composed("a");
    expect(composed("b")).toBe(first);
    expect(await first).toEqual({ name: "a" });
    expect(compose).toHaveBeenCalledTimes(1);
  });

  it("forgets a failed composition, so the next call starts afresh", async () => {
    const compose = vi.fn<() => Promise<string>>().mockRejectedValueOnce(new Error("throttled")).mockResolvedValue("ready");
    const composed = oncePerColdStart(compose);
    await expect(composed()).rejects.toThrow("throttled");
    expect(await composed()).toBe("ready");
    expect(await composed()).toBe("ready");
    expect(compose).toHaveBeenCalledTimes(2);
  });
});
