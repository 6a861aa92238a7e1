/**
 * The waiting room's script. The page has already joined the queue (server side); this listens
 * to the status pushed over `GET /api/queue/:id/events` (EventSource) or, when the stream fails
 * or is blocked, polls the status at the `pollAfterMs` the server asks for (and tries the stream
 * again now and then). Either way it moves the numbers and the progress bar, backs off on network
 * errors (and says so), reloads to re-join if the place was lost, goes on to the event page once
 * admitted, and stops at once on "sold out".
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

  function eta(seconds) {
    if (seconds === null || seconds === undefined) return "working it out…";
    if (seconds < 60) return "less than a minute";
    var m = Math.round(seconds / 60);
    return m < 60 ? "about " + m + " min" : "about " + Math.round(m / 6) / 10 + " h";
  }

  function progress(position) {
    var pct = position === 0 ? 100 : Math.round((100 * (from - position + 1)) / (from + 1));
    var bar = rg.$("progress");
    bar.value = pct;
    rg.text(bar, pct + "%");
    rg.text(rg.$("progress-text"), pct + "%");
  }

  function render(s) {
    if (s.position > from) from = s.position;
    sessionStorage.setItem(key, String(from));
    // The live region changes only when the position does, so screen readers are not flooded.
    if (s.position !== lastPosition) {
      rg.text(rg.$("position"), s.position);
      rg.text(rg.$("position-label"), s.position === 1 ? "You're next" : "You're number " + s.position + " in line");
      lastPosition = s.position;
    }
    rg.text(rg.$("ahead"), s.position - 1);
    rg.text(rg.$("waiting"), s.waiting);
    rg.text(rg.$("eta"), eta(s.etaSeconds));
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
        conn("Updated just now. This page checks by itself — no need to refresh.", false);
        if (!pushed) schedule(b.pollAfterMs);
      } else if (r.status === 200 && b.status === "admitted") {
        progress(0);
        rg.text(rg.$("position-label"), "It's your turn!");
        finish("ok", "It's your turn!", "Taking you to the event page…", ["/events/" + id, "Go now"]);
        sessionStorage.removeItem(key);
        location.replace("/events/" + id);
      } else if (r.status === 200 && b.status === "sold_out") {
        sessionStorage.removeItem(key);
        finish("bad", "Sold out", "Every coupon has been given out, so there is no need to wait any longer. Sorry!", ["/", "See other drops"]);
      } else if (r.status === 429) {
        // Too many requests: wait as long as the server asks; the place is kept meanwhile.
        var wait = Math.max(1, r.retryAfter || 2);
        conn("The site is very busy. Checking again in " + wait + " s — your place is kept.", true);
        schedule(wait * 1000);
      } else if (r.status === 404 && b.error && b.error.code === "not_in_queue") {
        // The place was lost (the page slept too long): reloading joins the queue again.
        location.reload();
      } else if (r.status === 409 || r.status === 404) {
        finish("bad", "This drop is over", "It has ended or no longer exists.", ["/", "See other drops"]);
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
      conn("Connection problem (no answer for " + since + " s). Retrying in " + Math.round(wait / 1000) +
        " s — keep this page open, your place is kept while we retry.", true);
      schedule(wait);
    });
  }

  progress(lastPosition || from);
  if (streamAt === 0) listen();
  else schedule(Number(root.getAttribute("data-poll")) || 1000);
})();
`;
