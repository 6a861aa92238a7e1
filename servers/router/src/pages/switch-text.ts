// i18n: what the public pages say about the operator's kill switches (issue 13.1). One object,
// used by the waiting room (server and script) and the event page, for the message catalogue.
export const switchText = {
  pausedTitle: "Admissions are paused",
  pausedDetail:
    "The organisers have paused the line for a moment. You keep your place; it moves on as soon as admissions resume.",
  pausedEta: "paused for now",
  closedTitle: "Entry is closed",
  closedDetail: "Nobody new can join this drop's line any more. People already in it are still being served.",
  endedTitle: "This drop has ended",
  endedDetail: "The organisers have ended it. Coupons already given out are yours and stay valid.",
} as const;
