/**
 * Shared by every page script (prepended, so each page loads one file): shows `<time data-local>`
 * in the reader's own time zone, a tiny JSON fetch helper and the notice boxes. Plain ES2017, no build step.
 */
export const commonJs = `"use strict";
var rg = {
  $: function (id) { return document.getElementById(id); },
  localTimes: function (scope) {
    var nodes = (scope || document).querySelectorAll("time[data-local]");
    for (var i = 0; i < nodes.length; i++) {
      var d = new Date(nodes[i].getAttribute("datetime"));
      if (!isNaN(d.getTime())) nodes[i].textContent = d.toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
    }
  },
  // Resolves {status, body, retryAfter (s)}; rejects only when the network fails or the answer is not JSON.
  json: function (method, url, body) {
    var init = { method: method, credentials: "same-origin", cache: "no-store", headers: { accept: "application/json" } };
    if (body !== undefined) {
      init.headers["content-type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    return fetch(url, init).then(function (res) {
      var retry = Number(res.headers.get("retry-after")) || 0;
      if (res.status === 204) return { status: 204, body: null, retryAfter: retry };
      return res.json().then(function (b) { return { status: res.status, body: b, retryAfter: retry }; });
    });
  },
  text: function (el, value) { if (el && el.textContent !== String(value)) el.textContent = String(value); },
  // Fills a notice box: a bold title, a sentence, and an optional [href, label] link after it.
  notice: function (box, kind, title, detail, link) {
    box.className = "notice " + kind;
    box.textContent = "";
    var strong = document.createElement("strong");
    strong.textContent = title;
    var p = document.createElement("p");
    p.textContent = detail + " ";
    if (link) {
      var a = document.createElement("a");
      a.href = link[0];
      a.textContent = link[1];
      p.appendChild(a);
    }
    box.appendChild(strong);
    box.appendChild(p);
  },
};
rg.localTimes();
`;
