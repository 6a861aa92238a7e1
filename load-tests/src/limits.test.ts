import { describe, expect, it } from "vitest";
import { fileLimit, filesNeeded, parseFileLimit, raiseFileLimit } from "./limits";

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max open files            20000                20000                files
Max locked memory         8388608              8388608              bytes
`;

describe("open-file limits", () => {
  it("reads the open-files line of /proc/<pid>/limits", () => {
    expect(parseFileLimit(LIMITS)).toEqual({ soft: 20000, hard: 20000 });
    expect(parseFileLimit("Max open files  1024  unlimited  files")).toEqual({
      soft: 1024,
      hard: Number.POSITIVE_INFINITY,
    });
    expect(parseFileLimit("nothing here")).toBeUndefined();
  });

  it("counts two sockets per user (router and a pollUrl origin) plus room for the process's own files", () => {
    expect(filesNeeded(15_000)).toBeGreaterThan(30_000);
  });

  it("never lowers the limit", () => {
    const now = fileLimit();
    expect(now).toBeDefined();
    expect(raiseFileLimit(16)).toEqual(now);
  });
});
