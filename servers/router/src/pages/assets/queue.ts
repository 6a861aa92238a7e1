/**
 * The waiting room's script. The page has already joined the queue (server side); this listens
 * to the status pushed over `GET /api/queue/:id/events` (EventSource) or, when the stream fails
 * or is blocked, polls the status at the `pollAfterMs` the server asks for (and tries the stream
 * again now and then). Either way it moves the numbers and the progress bar, backs off on network
 * errors (and says so), reloads to re-join if the place was lost, goes on to the event page once
 * admitted, and stops at once on "sold out". A place still to be drawn by the pre-queue's shuffle
 * (position null) shows the pending text until it has a number.
 */

export const queueJs = `(function () {
  var root = rg.$("queue");
  if (!root) return;
  var id = root.getAttribute("data-event");
  var key = "rg-from-" + id;
  var from = Math.max(Number(root.getAttribute("data-from")) || 1, Number(sessionStorage.getItem(key)) || 0);
  var failures = 0;
  var lastPosition = Number(root.getAttribute("data-position")) || null;
  var lastOk = Date.now();
  var timer = 0;
  var stream = null;
  // Polling takes over when the stream fails; the stream is tried again after this long.
  var STREAM_RETRY_MS = 30000;
  var streamAt = window.EventSource ? 0 : Infinity;

  function progress(position) {
    var pct = position === 0 ? 100 : Math.round((100 * (from - position + 1)) / (from + 1));
    var bar = rg.$("progress");
    bar.value = pct;
    rg.text(bar, rg.percent(pct));
    rg.text(rg.$("progress-text"), rg.percent(pct));
  }

  function render(s) {
    if (s.position === null) {
      rg.text(rg.$("position"), rg.t("queue.pendingValue"));
      rg.text(rg.$("position-label"), rg.t("queue.pendingLabel"));
      rg.text(rg.$("ahead"), rg.t("queue.pendingValue"));
      rg.text(rg.$("waiting"), rg.t("queue.people", { count: s.waiting }));
      rg.text(rg.$("eta"), s.paused ? rg.t("queue.pausedEta") : rg.eta(null));
      rg.$("paused").hidden = !s.paused;
      lastPosition = null;
      return;
    }
    if (s.position > from) from = s.position;
    sessionStorage.setItem(key, String(from));
    // The live region changes only when the position does, so screen readers are not flooded.
    if (s.position !== lastPosition) {
      rg.text(rg.$("position"), rg.number(s.position));
      rg.text(rg.$("position-label"), s.position === 1 ? rg.t("queue.next") : rg.t("queue.number", { position: s.position }));
      lastPosition = s.position;
    }
    rg.text(rg.$("ahead"), rg.t("queue.people", { count: s.position - 1 }));
    rg.text(rg.$("waiting"), rg.t("queue.people", { count: s.waiting }));
    rg.text(rg.$("eta"), s.paused ? rg.t("queue.pausedEta") : rg.eta(s.etaSeconds));
    rg.$("paused").hidden = !s.paused;
    progress(s.position);
  }

  function conn(text, bad) {
    var el = rg.$("conn");
    el.className = bad ? "notice warn small" : "muted small";
    rg.text(el, text);
  }

  function finish(kind, title, detail, link) {
    clearTimeout(timer);
    stopStream();
    rg.$("queue-card").hidden = true;
    var box = rg.$("outcome");
    rg.notice(box, kind, title, detail, link);
    box.focus();
  }

  function schedule(ms) {
    clearTimeout(timer);
    timer = setTimeout(poll, Math.max(200, ms));
  }

  function stopStream() {
    if (stream) stream.close();
    stream = null;
  }

  // The stream sends the status route's bodies, errors included: answer them as a poll's.
  var errorStatus = { not_in_queue: 404, event_not_found: 404, event_not_open: 409 };

  function listen() {
    stream = new EventSource("/api/queue/" + id + "/events");
    stream.onmessage = function (m) {
      try {
        var b = JSON.parse(m.data);
        answer({ status: b.error ? errorStatus[b.error.code] || 500 : 200, body: b }, true);
      } catch (e) {
        fallBack();
      }
    };
    // Another tab of this browser took the stream over: this one polls.
    stream.addEventListener("replaced", function () {
      streamAt = Infinity;
      stopStream();
      schedule(0);
    });
    stream.onerror = fallBack;
  }

  // Refused, blocked or cut: poll (its answers say why, and it backs off), stream again later.
  function fallBack() {
    stopStream();
    streamAt = Date.now() + STREAM_RETRY_MS;
    schedule(0);
  }

  function answer(r, pushed) {
      var b = r.body || {};
      if (r.status === 200 && b.status === "waiting") {
        failures = 0;
        lastOk = Date.now();
        render(b);
        conn(rg.t("queue.updated"), false);
        if (!pushed) schedule(b.pollAfterMs);
      } else if (r.status === 200 && b.status === "admitted") {
        progress(0);
        rg.text(rg.$("position-label"), rg.t("queue.turn"));
        finish("ok", rg.t("queue.turn"), rg.t("queue.turnDetail"), ["/events/" + id, rg.t("queue.goNow")]);
        sessionStorage.removeItem(key);
        location.replace("/events/" + id);
      } else if (r.status === 200 && b.status === "sold_out") {
        sessionStorage.removeItem(key);
        finish("bad", rg.t("queue.soldOut"), rg.t("queue.soldOutDetail"), ["/", rg.t("event.otherDrops")]);
      } else if (r.status === 429) {
        // Too many requests: wait as long as the server asks; the place is kept meanwhile.
        var wait = Math.max(1, r.retryAfter || 2);
        conn(rg.t("queue.busy", { wait: rg.seconds(wait) }), true);
        schedule(wait * 1000);
      } else if (r.status === 404 && b.error && b.error.code === "not_in_queue") {
        // The place was lost (the page slept too long): reloading joins the queue again.
        location.reload();
      } else if (r.status === 409 || r.status === 404) {
        finish("bad", rg.t("queue.over"), rg.t("queue.overDetail"), ["/", rg.t("event.otherDrops")]);
      } else {
        throw new Error("HTTP " + r.status);
      }
  }

  function poll() {
    if (Date.now() >= streamAt) {
      clearTimeout(timer);
      return listen();
    }
    rg.json("GET", "/api/queue/" + id + "/status").then(function (r) {
      answer(r, false);
    }).catch(function () {
      failures += 1;
      var wait = Math.min(8000, 1000 * Math.pow(2, failures - 1)) * (0.8 + Math.random() * 0.4);
      var since = Math.round((Date.now() - lastOk) / 1000);
      conn(rg.t("queue.offline", { since: rg.seconds(since), wait: rg.seconds(wait / 1000) }), true);
      schedule(wait);
    });
  }

  if (lastPosition) progress(lastPosition);
  if (streamAt === 0) listen();
  else schedule(Number(root.getAttribute("data-poll")) || 1000);
})();
`;
