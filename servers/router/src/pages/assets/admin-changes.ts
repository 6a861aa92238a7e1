/**
 * The dashboard's settings and scheduled-changes panel (pages/admin-changes.tsx): PATCHes live
 * settings, previews a ramp (two inline SVG charts on one time scale) and saves it, lists and
 * cancels scheduled changes. Same conventions as admin.ts.
 */
export const adminChangesJs = `(function () {
  if (!rg.$("changes")) return;
  var SVG = "http://www.w3.org/2000/svg";
  var eventId = 0;

  function say(id, kind, text) { var el = rg.$(id); el.className = "notice small " + kind; el.textContent = text; }
  function err(r) { return r.body && r.body.error ? r.body.error.message : "HTTP " + r.status; }
  function api(method, path, body) { return rg.json(method, "/admin/api/events/" + eventId + path, body); }

  function load() {
    eventId = Number(rg.$("ch-event").value);
    if (!eventId) return;
    api("GET", "/changes").then(function (r) {
      var list = rg.$("ch-list");
      list.textContent = "";
      if (r.status !== 200) { list.textContent = err(r); return; }
      var st = r.body.settings;
      rg.$("ch-rpm").value = st.rpmThreshold === null ? "" : st.rpmThreshold;
      rg.$("ch-apt").value = st.admitPerTick;
      rg.$("ch-cap").value = st.runningCapacity;
      if (!r.body.changes.length) list.textContent = "Nothing scheduled.";
      r.body.changes.forEach(function (c) {
        var li = document.createElement("li");
        var what = Object.keys(c.set).map(function (k) { return k + " → " + (c.set[k] === null ? "global" : c.set[k]); }).join(", ");
        li.textContent = new Date(c.at).toLocaleString() + ": " + what + " (" + c.state + (c.appliedAt ? " " + new Date(c.appliedAt).toLocaleTimeString() : "") + ") ";
        if (c.state === "scheduled") {
          var b = document.createElement("button");
          b.type = "button";
          b.textContent = "Cancel";
          b.addEventListener("click", function () {
            api("DELETE", "/changes/" + c.id).then(function (d) { if (d.status !== 200) alert("Not cancelled: " + err(d)); load(); });
          });
          li.appendChild(b);
        }
        list.appendChild(li);
      });
    });
  }

  rg.$("ch-event-form").addEventListener("submit", function (e) { e.preventDefault(); load(); });

  rg.$("ch-live-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var rpm = rg.$("ch-rpm").value;
    var body = { rpmThreshold: rpm === "" ? null : Number(rpm), admitPerTick: Number(rg.$("ch-apt").value), runningCapacity: Number(rg.$("ch-cap").value) };
    api("PATCH", "", body).then(function (r) {
      if (r.status === 200) say("ch-live-msg", "ok", "Applied on every instance within a second. Before: " + JSON.stringify(r.body.before) + ".");
      else say("ch-live-msg", "bad", "Not applied: " + err(r));
    });
  });

  function schedule() {
    var from = Number(rg.$("ch-from").value), to = Number(rg.$("ch-to").value);
    var start = Date.now() + Number(rg.$("ch-start").value) * 60000;
    var over = Math.round(Number(rg.$("ch-over").value) * 60);
    var setting = rg.$("ch-setting").value;
    if (over <= 0) { var c = { at: new Date(start).toISOString() }; c[setting] = to; return { changes: [c] }; }
    return { ramps: [{ setting: setting, from: from, to: to, startAt: new Date(start).toISOString(), durationSeconds: over, steps: Number(rg.$("ch-steps").value) }] };
  }

  function el(tag, attrs) { var n = document.createElementNS(SVG, tag); for (var k in attrs) n.setAttribute(k, attrs[k]); return n; }

  function draw(svg, f, t0, span, max) {
    svg.textContent = "";
    function line(key, color) {
      var pts = f.series.map(function (p) { return ((p.t - t0) / span * 300).toFixed(1) + "," + (96 - p[key] / max * 86).toFixed(1); }).join(" ");
      svg.appendChild(el("polyline", { fill: "none", stroke: color, "stroke-width": "1.5", points: pts }));
    }
    line("waiting", "#c2410c");
    line("remaining", "#0b57d0");
    if (f.servedAt) {
      var x = ((Date.parse(f.servedAt) - t0) / span * 300).toFixed(1);
      svg.appendChild(el("line", { x1: x, x2: x, y1: "0", y2: "100", stroke: "#4a5260", "stroke-dasharray": "3 3" }));
    }
  }

  function summary(f, t0) {
    function at(s) { return s ? new Date(s).toLocaleTimeString() + " (in " + Math.round((Date.parse(s) - t0) / 1000) + " s)" : "not before the event ends"; }
    return "Last person now waiting served " + at(f.servedAt) + "; stock runs out " + at(f.soldOutAt) + ".";
  }

  rg.$("ch-preview").addEventListener("click", function () {
    api("POST", "/preview", schedule()).then(function (r) {
      if (r.status !== 200) { say("ch-ramp-msg", "bad", "No preview: " + err(r)); return; }
      var t0 = Date.parse(r.body.now), end = t0 + 1000, max = 1;
      [r.body.current, r.body.proposed].forEach(function (f) {
        f.series.forEach(function (p) { end = Math.max(end, p.t); max = Math.max(max, p.waiting, p.remaining); });
      });
      rg.$("ch-forecast").hidden = false;
      draw(rg.$("ch-chart-current"), r.body.current, t0, end - t0, max * 1.1);
      draw(rg.$("ch-chart-proposed"), r.body.proposed, t0, end - t0, max * 1.1);
      rg.text(rg.$("ch-sum-current"), summary(r.body.current, t0));
      rg.text(rg.$("ch-sum-proposed"), summary(r.body.proposed, t0));
      say("ch-ramp-msg", "ok", "Preview from " + r.body.inputs.waiting + " waiting, " + r.body.inputs.running + " running, " + r.body.inputs.remaining + " left. Not saved yet.");
    });
  });

  rg.$("ch-ramp-form").addEventListener("submit", function (e) {
    e.preventDefault();
    api("POST", "/changes", schedule()).then(function (r) {
      if (r.status === 201) { say("ch-ramp-msg", "ok", "Scheduled " + r.body.changes.length + " change(s)."); load(); }
      else say("ch-ramp-msg", "bad", "Not scheduled: " + err(r));
    });
  });
})();
`;
