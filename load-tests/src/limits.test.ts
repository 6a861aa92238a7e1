import { describe, expect, it } from "vitest";
import { fileLimit, filesNeeded, fitUsers, parseFileLimit, raiseFileLimit } from "./limits";

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

  it("counts a socket per user and origin plus room for the process's own files", () => {
    expect(filesNeeded(15_000)).toBeGreaterThan(15_000);
    expect(filesNeeded(15_000, 2)).toBeGreaterThan(30_000);
  });

  it("refuses more users than one process can hold, naming the limit", () => {
    // Ten million sockets are past any kernel's fs.nr_open (1,048,576 by default): never raised.
    expect(() => fitUsers(10_000_000, "test")).toThrow(
      /^test: 10000000 users need about 10002048 open files in one process .* the limit is \d+/,
    );
  });

  it("never lowers the limit", () => {
    const now = fileLimit();
    expect(now).toBeDefined();
    expect(raiseFileLimit(16)).toEqual(now);
  });
});
