import type { Child } from "hono/jsx";

/**
 * i18n: the waiting page's words about the shuffled pre-queue (README, "Fairness: the
 * pre-queue"), in one place for the page and its script (which gets them as data attributes).
 */
export const prequeueText = {
  /** The rule, said plainly; `at` is the start time as the page shows times. */
  rule: (at: Child) => (
    <>
      Everyone here before {at} gets a random place at {at}; after that, first come first served.
    </>
  ),
  /** Instead of the position, until the place is drawn. */
  pendingValue: "—",
  pendingLabel: "Your place in line is drawn at random when the drop opens",
};
