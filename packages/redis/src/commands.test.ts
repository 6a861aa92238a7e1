import { describe, expect, it } from "vitest";
import { withIncludes } from "./commands";

describe("withIncludes", () => {
  it("pulls an include's text in where a script asks for it", () => {
    const lua = withIncludes('--- @include "clock"\nreturn redisNow()');
    expect(lua).toContain("local function redisNow()");
    expect(lua).not.toContain("@include");
    expect(lua.endsWith("return redisNow()")).toBe(true);
  });

  it("refuses a script that asks for an include that does not exist", () => {
    expect(() => withIncludes('--- @include "nope"')).toThrow(/unknown Lua include "nope"/);
  });
});
