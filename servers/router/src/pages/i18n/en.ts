/**
 * The English catalogue of the public pages (home, event, waiting room) and their scripts: the
 * reference every other catalogue must match key for key (see ./ko.ts and i18n.test.ts).
 *
 * Adding text: add a key here (`<page>.<what>`), the same key in ko.ts (the type checker insists),
 * then use `m.t("key", { param })` in a page or `rg.t("key", { param })` in a page script (always
 * with the key as a literal: that is how the page knows which messages its script needs).
 * `{name}` is a placeholder: numbers are formatted for the reader's locale, elements can be put in
 * with `m.rich`. Durations, dates and percentages come from the runtime (runtime.ts), not from here.
 */
export const en = {
  "layout.title": "{page} · rushgate",
  "layout.skip": "Skip to content",
  "layout.allDrops": "All drops",
  "layout.site": "Site",
  "layout.languages": "Language",
  // Each language is named in its own language, in every catalogue.
  "lang.en": "English",
  "lang.ko": "한국어",

  "eta.unknown": "working it out…",
  "eta.underMinute": "less than a minute",
  "eta.about": "about {duration}",

  "home.title": "Coupon drops",
  "home.eyebrow": "First come, first served",
  "home.lead":
    "Each drop has a limited number of coupons, one per person. When many people arrive at once, you wait in a fair line: first in, first served.",
  "home.unavailable": "We can't load the drops right now.",
  "home.unavailableDetail": "Please try again in a moment.",
  "home.empty": "No drops right now. Check back soon.",
  "home.badge.open": "Open now",
  "home.badge.upcoming": "Upcoming",
  "home.badge.sold_out": "Sold out",
  "home.badge.ended": "Ended",
  "home.starts": "Starts {time}",
  "home.started": "Started {time}",
  "home.count": "{left} of {stock}",
  "home.left": "{count} coupons left · until {until}",
  "home.noneLeft": "No coupons left · until {until}",
  "home.join": "Get in line",
  "home.joinEarly": "Wait in line",
  "home.joinLabel": "Get in line for {name}",

  "event.eyebrow": "Coupon drop",
  "event.eyebrowTurn": "You're in — it's your turn",
  "event.opens": "Opens",
  "event.closes": "Closes",
  "event.left": "Coupons left",
  "event.perPerson": "Per person",
  "event.oneCoupon": "One coupon",
  "event.remaining": "{left} of {stock} left",
  "event.noneLeft": "None left",
  "event.held": "Your turn is held until {time}. Press the button to take your coupon.",
  "event.getCoupon": "Get coupon",
  "event.getting": "Getting your coupon…",
  "event.otherDrops": "See other drops",
  "event.rejoin": "Rejoin the line",
  "event.yourCoupons": "Your coupons",
  "event.thisDrop": "This drop",
  "event.otherDrop": "Drop #{id}",
  "event.persisted": "confirmed",
  "event.pending": "being confirmed",
  "event.issued": "Issued! Your coupon is {code}.",
  "event.issuedDetail": "It is yours and saved to your account; you'll find it below. Nothing else to do.",
  "event.already": "Already issued.",
  "event.alreadyDetail": "You already have a coupon for this drop (one per person). It is listed below.",
  "event.alreadyCode":
    "You already have a coupon for this drop (one per person): {code}. It is listed below.",
  "event.soldOut": "Sold out.",
  "event.soldOutDetail": "Every coupon has been given out, so there is nothing more to do here. Sorry!",
  "event.ended": "This drop has ended.",
  "event.endedDetail": "Have a look at the other drops.",
  "event.expired": "Your admission has expired.",
  "event.expiredDetail": "Your turn ran out before you took the coupon. Get back in line to try again:",
  "event.notOpen": "This drop is not open.",
  "event.notOpenDetail": "It has ended, or has not started yet.",
  "event.offline": "We could not reach the server.",
  "event.offlineDetail":
    "Your place is still held for now. Check your connection and press the button again.",

  "queue.title": "{name} — waiting room",
  "queue.eyebrow": "Waiting room",
  "queue.leadUpcoming":
    "The drop opens at {time}. You have a place in line; when it opens, people are let in in the order they arrived.",
  "queue.leadBusy":
    "Lots of people want in right now, so we let them in a few at a time, in the order they arrived.",
  "queue.next": "You're next",
  "queue.number": "You're number {position} in line",
  "queue.ahead": "People ahead of you",
  "queue.eta": "Estimated wait",
  "queue.waiting": "In line now",
  "queue.people": "{count}",
  "queue.progress": "Your progress: {percent}",
  "queue.keepOpen": "Keep this page open: it checks by itself and takes you to the drop when it's your turn.",
  "queue.keepPlace":
    "Refreshing or coming back soon keeps your place. If you close this page for more than half a minute, you lose it.",
  "queue.noscript": "This page refreshes every few seconds to show where you are.",
  "queue.updated": "Updated just now. This page checks by itself — no need to refresh.",
  "queue.turn": "It's your turn!",
  "queue.turnDetail": "Taking you to the event page…",
  "queue.goNow": "Go now",
  "queue.soldOut": "Sold out",
  "queue.soldOutDetail": "Every coupon has been given out, so there is no need to wait any longer. Sorry!",
  "queue.ended": "This drop has ended",
  "queue.endedDetail": "The line is closed.",
  "queue.prequeueRule":
    "Everyone here before {time} gets a random place at {time}; after that, first come first served.",
  "queue.pendingValue": "—",
  "queue.pendingLabel": "Your place in line is drawn at random when the drop opens",
  "queue.paused": "Admissions are paused",
  "queue.pausedDetail":
    "The organisers have paused the line for a moment. You keep your place; it moves on as soon as admissions resume.",
  "queue.pausedEta": "paused for now",
  "queue.closed": "Entry is closed",
  "queue.closedDetail":
    "Nobody new can join this drop's line any more. People already in it are still being served.",
  "queue.over": "This drop is over",
  "queue.overDetail": "It has ended or no longer exists.",
  "queue.busy": "The site is very busy. Checking again in {wait} — your place is kept.",
  "queue.offline":
    "Connection problem (no answer for {since}). Retrying in {wait} — keep this page open, your place is kept while we retry.",

  "error.notFoundTitle": "Not found",
  "error.notFound": "No such drop",
  "error.notFoundDetail": "This page does not exist, or the drop was removed. {link}.",
  "error.currentDrops": "See the current drops",
  "error.retryNow": "Try again now",
  "error.backToDrops": "Back to the drops",
  "error.refused": "Refused",
  "error.refusedDetail": "This form was sent from another site, so it was not accepted.",
  "error.signIn": "Please sign in",
  "error.signInDetail":
    "We could not tell who you are: your sign-in is missing or has expired. Sign in on the site, then come back.",
  "error.slowDown": "Slow down",
  "error.slowDownDetail":
    "This browser sent too many requests at once. This page tries again by itself in a few seconds.",
  "error.busy": "We're very busy right now",
  "error.busyDetail": "Part of the site did not answer. This page tries again by itself in a few seconds.",
} as const;

export type MessageKey = keyof typeof en;

/** The messages that are the same in every language: the brand, and each language's own name. */
export const SAME_EVERYWHERE: ReadonlySet<MessageKey> = new Set(["layout.title", "lang.en", "lang.ko"]);

/** What every other language provides: a sentence for every English key, and no other key. */
export type Catalogue = { readonly [K in MessageKey]: string };
