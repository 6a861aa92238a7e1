/**
 * The operator dashboard's script: sets the threshold and creates events through the admin JSON
 * API (authenticated by the HttpOnly admin cookie; the browser adds the Origin the router checks),
 * and polls live stats every second, drawing the last five minutes per event as inline SVG.
 */
export const adminJs = String.raw`(function () {
  var root = rg.$("admin");
  if (!root) return;
  var SVG = "http://www.w3.org/2000/svg";
  var WINDOW_S = 300;
  var history = {};
  var names = {};
  var namesAt = 0;

  function message(el, kind, text) {
    el.className = "notice small " + kind;
    el.textContent = text;
  }

  function errorText(r) {
    if (r.status === 401) return "Your sign-in has expired: reload the page and sign in again.";
    return r.body && r.body.error ? r.body.error.message : "HTTP " + r.status;
  }

  rg.$("threshold-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var value = Number(rg.$("rpm").value);
    rg.json("PUT", "/admin/api/traffic", { rpmThreshold: value }).then(function (r) {
      if (r.status === 200) message(rg.$("threshold-msg"), "ok", "Saved: the queue starts above " + r.body.rpmThreshold + " entries per minute, on every router within a second.");
      else message(rg.$("threshold-msg"), "bad", "Not saved: " + errorText(r));
    }).catch(function () { message(rg.$("threshold-msg"), "bad", "Not saved: the server could not be reached."); });
  });

  rg.$("event-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var body = {
      name: rg.$("ev-name").value,
      stock: Number(rg.$("ev-stock").value),
      startsAt: new Date(rg.$("ev-starts").value).toISOString(),
      endsAt: new Date(rg.$("ev-ends").value).toISOString(),
    };
    if (rg.$("ev-rpm").value !== "") body.rpmThreshold = Number(rg.$("ev-rpm").value);
    rg.json("POST", "/admin/api/events", body).then(function (r) {
      if (r.status === 201) {
        message(rg.$("event-msg"), "ok", "Created event #" + r.body.id + " \u201c" + r.body.name + "\u201d. Its page is /events/" + r.body.id + ".");
        names[r.body.id] = r.body.name;
        rg.$("event-form").reset();
        defaults();
      } else message(rg.$("event-msg"), "bad", "Not created: " + errorText(r));
    }).catch(function () { message(rg.$("event-msg"), "bad", "Not created: the server could not be reached."); });
  });

  function local(d) {
    var z = new Date(d.getTime() - d.getTimezoneOffset() * 60000);
    return z.toISOString().slice(0, 16);
  }
  function defaults() {
    var now = Date.now();
    if (!rg.$("ev-starts").value) rg.$("ev-starts").value = local(new Date(now + 60000));
    if (!rg.$("ev-ends").value) rg.$("ev-ends").value = local(new Date(now + 3600000));
  }
  defaults();

  function el(tag, attrs, text) {
    var node = tag === "svg" || tag === "polyline" || tag === "line" || tag === "text" ? document.createElementNS(SVG, tag) : document.createElement(tag);
    for (var k in attrs) node.setAttribute(k, attrs[k]);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  var FIELDS = [["waiting", "waiting"], ["running", "running"], ["issued", "issued"], ["persisted", "persisted"], ["remaining", "remaining"], ["failed", "failed"]];

  function card(id) {
    var existing = rg.$("ev-" + id);
    if (existing) return existing;
    var c = el("article", { id: "ev-" + id, class: "card" });
    var head = el("div", { class: "row" });
    head.appendChild(el("h3", { class: "name" }, "Event #" + id));
    head.appendChild(el("a", { href: "/events/" + id }, "open page"));
    c.appendChild(head);
    var rpm = el("p", { class: "small" });
    rpm.appendChild(el("span", {}, "Live RPM "));
    rpm.appendChild(el("b", { class: "rpm" }, "0"));
    rpm.appendChild(el("span", { class: "vs" }, " of threshold …"));
    c.appendChild(rpm);
    c.appendChild(el("meter", { class: "meter", min: "0", max: "1", value: "0", "aria-label": "Live RPM against the threshold" }));
    var stats = el("div", { class: "stats" });
    FIELDS.forEach(function (f) {
      var s = el("div", { class: "stat" });
      s.appendChild(el("b", { "data-field": f[0] }, "–"));
      s.appendChild(el("span", {}, f[1]));
      stats.appendChild(s);
    });
    c.appendChild(stats);
    var svg = el("svg", { class: "chart", viewBox: "0 0 300 72", role: "img", "aria-label": "Live RPM, waiting and threshold over the last five minutes" });
    svg.appendChild(el("line", { class: "threshold", x1: "0", x2: "300", y1: "-10", y2: "-10", stroke: "#a8201a", "stroke-dasharray": "4 3", "stroke-width": "1.5" }));
    svg.appendChild(el("polyline", { class: "waiting", fill: "none", stroke: "#c2410c", "stroke-width": "1.5", points: "" }));
    svg.appendChild(el("polyline", { class: "rpm", fill: "none", stroke: "#0b57d0", "stroke-width": "2", points: "" }));
    svg.appendChild(el("text", { class: "ymax", x: "4", y: "10", "font-size": "8", fill: "#4a5260" }, ""));
    c.appendChild(svg);
    var legend = el("p", { class: "legend" });
    legend.appendChild(el("i", {}));
    legend.appendChild(document.createTextNode("live RPM"));
    legend.appendChild(el("i", { class: "w" }));
    legend.appendChild(document.createTextNode("waiting"));
    legend.appendChild(el("i", { class: "t" }));
    legend.appendChild(document.createTextNode("threshold · up to the last 5 minutes"));
    c.appendChild(legend);
    rg.$("live").appendChild(c);
    return c;
  }

  function draw(c, samples, now) {
    var max = 1;
    samples.forEach(function (s) { max = Math.max(max, s.rpm, s.waiting); });
    var threshold = samples.length ? samples[samples.length - 1].threshold : 0;
    var showThreshold = threshold <= max * 4;
    if (showThreshold) max = Math.max(max, threshold);
    max *= 1.15;
    // The x axis spans what has been seen so far (at least a minute, at most five).
    var span = samples.length ? Math.min(WINDOW_S, Math.max(60, (now - samples[0].t) / 1000)) : WINDOW_S;
    function pts(key) {
      return samples.map(function (s) {
        var x = 300 - ((now - s.t) / 1000 / span) * 300;
        var y = 70 - (s[key] / max) * 56;
        return x.toFixed(1) + "," + y.toFixed(1);
      }).join(" ");
    }
    c.querySelector("polyline.rpm").setAttribute("points", pts("rpm"));
    c.querySelector("polyline.waiting").setAttribute("points", pts("waiting"));
    var ty = showThreshold ? (70 - (threshold / max) * 56).toFixed(1) : "-10";
    var line = c.querySelector("line.threshold");
    line.setAttribute("y1", ty);
    line.setAttribute("y2", ty);
    c.querySelector("text.ymax").textContent = "scale 0–" + Math.round(max) + (showThreshold ? "" : " (threshold " + threshold + " is off the scale)");
  }

  function update(id, s, now) {
    var c = card(id);
    if (names[id]) rg.text(c.querySelector(".name"), names[id] + " (#" + id + ")");
    rg.text(c.querySelector("b.rpm"), s.liveRpm);
    rg.text(c.querySelector(".vs"), " of threshold " + s.rpmThreshold + (s.liveRpm >= s.rpmThreshold ? " — queueing" : " — admitting directly"));
    var meter = c.querySelector("meter");
    meter.max = Math.max(1, s.rpmThreshold);
    meter.high = Math.max(1, s.rpmThreshold) * 0.8;
    meter.value = Math.min(s.liveRpm, meter.max);
    FIELDS.forEach(function (f) { rg.text(c.querySelector('[data-field="' + f[0] + '"]'), s[f[0]]); });
    var h = history[id] || (history[id] = []);
    h.push({ t: now, rpm: s.liveRpm, waiting: s.waiting, threshold: s.rpmThreshold });
    while (h.length && now - h[0].t > WINDOW_S * 1000) h.shift();
    draw(c, h, now);
  }

  function refreshNames() {
    if (Date.now() - namesAt < 10000) return;
    namesAt = Date.now();
    rg.json("GET", "/api/events").then(function (r) {
      if (r.status === 200) r.body.events.forEach(function (e) { names[e.id] = e.name; });
    }).catch(function () {});
  }

  function tick() {
    refreshNames();
    rg.json("GET", "/admin/api/traffic").then(function (r) {
      if (r.status !== 200) throw r;
      rg.text(rg.$("current-threshold"), r.body.rpmThreshold);
      var live = r.body.liveRpm;
      // Busiest first (new cards only: existing ones keep their place), then newest.
      var ids = Object.keys(live).map(Number).sort(function (a, b) { return live[b] - live[a] || b - a; }).slice(0, 12);
      rg.$("live-empty").hidden = ids.length > 0;
      return Promise.all(ids.map(function (id) {
        return rg.json("GET", "/admin/api/events/" + id + "/stats").then(function (s) { return [id, s]; });
      }));
    }).then(function (rows) {
      var now = Date.now();
      rows.forEach(function (row) { if (row[1].status === 200) update(row[0], row[1].body, now); });
      rg.text(rg.$("updated"), "Live · updated " + new Date(now).toLocaleTimeString());
    }).catch(function (r) {
      rg.text(rg.$("updated"), r && r.status === 401 ? "Signed out: reload the page to sign in again." : "Connection problem — retrying…");
    }).then(function () { setTimeout(tick, 1000); });
  }
  tick();
})();
`;
