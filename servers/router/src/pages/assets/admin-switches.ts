/**
 * The dashboard's kill switches (pages/admin-switches.tsx): the global ones, and one event's own
 * plus "end now", through the admin API. Each toggle sends only the switch it names.
 */
export const adminSwitchesJs = `(function () {
  var root = rg.$("switches");
  if (!root) return;
  var LABELS = { paused: "paused", queueAll: "queue everyone", entryClosed: "entry closed" };

  function message(el, kind, text) {
    el.className = "notice small " + kind;
    el.textContent = text;
  }
  function failure(r) {
    if (r.status === 401) return "your sign-in has expired: reload the page and sign in again.";
    return r.body && r.body.error ? r.body.error.message : "HTTP " + r.status;
  }
  function on(s) {
    var names = Object.keys(LABELS).filter(function (k) { return s[k]; });
    return names.length ? names.map(function (k) { return LABELS[k]; }).join(", ") : "none";
  }
  function show(prefix, s) {
    Object.keys(LABELS).forEach(function (k) { rg.$(prefix + "-" + k).checked = !!s[k]; });
  }
  function offline(el) { return function () { message(el, "bad", "Not saved: the server could not be reached."); }; }

  var eventId = null;
  function showEvent(body) {
    show("esw", body.switches);
    rg.$("esw-panel").hidden = false;
    rg.text(rg.$("esw-effective"), "Event #" + body.eventId + " obeys: " + on(body.effective) + " (its own: " + on(body.switches) + "; global: " + on(body.global) + ").");
  }

  function loadGlobal() {
    rg.json("GET", "/admin/api/switches").then(function (r) { if (r.status === 200) show("gsw", r.body.switches); }).catch(function () {});
  }

  root.addEventListener("change", function (e) {
    var box = e.target;
    var name = box.getAttribute("data-switch");
    if (!name) return;
    var change = {};
    change[name] = box.checked;
    if (box.id.indexOf("gsw-") === 0) {
      rg.json("PUT", "/admin/api/switches", change).then(function (r) {
        if (r.status !== 200) { loadGlobal(); return message(rg.$("gsw-msg"), "bad", "Not saved: " + failure(r)); }
        show("gsw", r.body.after);
        message(rg.$("gsw-msg"), "ok", "Saved for every event (" + r.body.events + " live): now " + on(r.body.after) + ", was " + on(r.body.before) + ".");
      }).catch(offline(rg.$("gsw-msg")));
    } else if (eventId !== null) {
      rg.json("PUT", "/admin/api/events/" + eventId + "/switches", change).then(function (r) {
        if (r.status !== 200) return message(rg.$("esw-msg"), "bad", "Not saved: " + failure(r));
        showEvent(r.body.after);
        message(rg.$("esw-msg"), "ok", "Saved for event #" + eventId + ": its own switches now " + on(r.body.after.switches) + ".");
      }).catch(offline(rg.$("esw-msg")));
    }
  });

  rg.$("esw-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var id = Number(rg.$("esw-event").value);
    rg.json("GET", "/admin/api/events/" + id + "/switches").then(function (r) {
      if (r.status !== 200) { rg.$("esw-panel").hidden = true; eventId = null; return message(rg.$("esw-msg"), "bad", failure(r)); }
      eventId = id;
      showEvent(r.body);
      message(rg.$("esw-msg"), "", "");
    }).catch(offline(rg.$("esw-msg")));
  });

  rg.$("esw-end").addEventListener("click", function () {
    if (eventId === null || !confirm("End event #" + eventId + " now? Everyone waiting is told it has ended; coupons already issued stay.")) return;
    rg.json("POST", "/admin/api/events/" + eventId + "/end").then(function (r) {
      if (r.status !== 200) return message(rg.$("esw-msg"), "bad", "Not ended: " + failure(r));
      message(rg.$("esw-msg"), "ok", "Event #" + eventId + " ended at " + new Date(r.body.after.endsAt).toLocaleTimeString() + " (it was to end " + new Date(r.body.before.endsAt).toLocaleString() + ").");
    }).catch(offline(rg.$("esw-msg")));
  });

  loadGlobal();
})();
`;
