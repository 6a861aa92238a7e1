import { describe, expect, it } from "vitest";
import { formatTable, ms } from "./table";

describe("report tables", () => {
  it("aligns words left and figures right under a rule", () => {
    const table = formatTable([
      { endpoint: "entry", requests: 4500, "p95 ms": "12.3" },
      { endpoint: "status", requests: 61234, "p95 ms": "1860" },
    ]);
    expect(table.split("\n")).toEqual([
      "endpoint  requests  p95 ms",
      "--------  --------  ------",
      "entry         4500    12.3",
      "status       61234    1860",
    ]);
  });

  it("prints milliseconds with a precision that suits their size", () => {
    expect(ms(0.4237)).toBe("0.42");
    expect(ms(12.34)).toBe("12.3");
    expect(ms(1860.4)).toBe("1860");
    expect(ms(Number.NaN)).toBe("-");
  });
});
