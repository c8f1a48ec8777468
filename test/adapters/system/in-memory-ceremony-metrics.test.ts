import { describe, expect, it } from "vitest";
import { InMemoryCeremonyMetrics } from "../../../src/adapters/system/in-memory-ceremony-metrics.js";

describe("InMemoryCeremonyMetrics", () => {
  it("counts each outcome by ceremony, outcome and code, in the order first seen", () => {
    const metrics = new InMemoryCeremonyMetrics();
    metrics.count({ ceremony: "sign_in", outcome: "failed", code: "sign_in_failed" });
    metrics.count({ ceremony: "sign_in", outcome: "succeeded" });
    metrics.count({ ceremony: "sign_in", outcome: "failed", code: "sign_in_failed" });
    metrics.count({ ceremony: "sign_in", outcome: "failed", code: "credential_disabled" });
    expect(metrics.counts()).toEqual([
      { ceremony: "sign_in", outcome: "failed", code: "sign_in_failed", count: 2 },
      { ceremony: "sign_in", outcome: "succeeded", count: 1 },
      { ceremony: "sign_in", outcome: "failed", code: "credential_disabled", count: 1 },
    ]);
  });

  it("starts empty, and hands out copies the caller cannot change the counts through", () => {
    const metrics = new InMemoryCeremonyMetrics();
    expect(metrics.counts()).toEqual([]);
    metrics.count({ ceremony: "refresh", outcome: "succeeded" });
    const first = metrics.counts();
    (first[0] as { count: number }).count = 99;
    expect(metrics.counts()).toEqual([{ ceremony: "refresh", outcome: "succeeded", count: 1 }]);
  });
});
