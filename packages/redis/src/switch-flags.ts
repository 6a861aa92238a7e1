/**
 * The kill switches in Redis (lua/includes/switches.lua reads them): a string of letters per
 * record, "p" paused, "q" queue all, "c" entry closed. The same shape as `Switches` of
 * @rushgate/api, which this package does not depend on.
 */
export interface SwitchFlags {
  paused: boolean;
  queueAll: boolean;
  entryClosed: boolean;
}

const LETTERS = { paused: "p", queueAll: "q", entryClosed: "c" } as const;
const BITS = { paused: 1, queueAll: 2, entryClosed: 4 } as const;
const NAMES = ["paused", "queueAll", "entryClosed"] as const;

export function switchLetters(s: SwitchFlags): string {
  return NAMES.filter((n) => s[n])
    .map((n) => LETTERS[n])
    .join("");
}

export function parseSwitchLetters(letters: string | null | undefined): SwitchFlags {
  const s = letters ?? "";
  return { paused: s.includes("p"), queueAll: s.includes("q"), entryClosed: s.includes("c") };
}

/** The packed form gate-sync-5.lua answers. */
export function parseSwitchBits(bits: number): SwitchFlags {
  return {
    paused: (bits & BITS.paused) !== 0,
    queueAll: (bits & BITS.queueAll) !== 0,
    entryClosed: (bits & BITS.entryClosed) !== 0,
  };
}
