// sipas kiosk: keeps the ratings a counter's tablet could not send and
// sends them, with their submission ids, when the connection returns.
// Loaded on kiosk forms only; without it the form posts as usual. The
// server stores a submission id once (a resend answers 303 as the first
// send did), so an entry sent twice is still one rating.
(function () {
  "use strict";
  var QUEUE = "sipas.kiosk.queue.v1", DEAD = "sipas.kiosk.dead.v1";
  var MAX_AGE = 72 * 3600 * 1000; // older entries are not sent (see docs/operations.md)
  var MAX_ENTRIES = 1000, RETRY = 15000, TIMEOUT = 10000;
  var form = document.querySelector("form[method=post] input[name=kiosk]");
  form = form && form.form;
  var status = document.getElementById("kiosk-status");
  var saved = document.getElementById("kiosk-saved");
  if (!form || !status || !saved || !window.fetch || !window.AbortController || !window.localStorage) return;
  var busy = false, DAY = 24 * 3600 * 1000;

  function load(key, empty) {
    try { var v = JSON.parse(localStorage.getItem(key)); return v == null ? empty : v; } catch (e) { return empty; }
  }
  function queue() { var q = load(QUEUE, []); return Array.isArray(q) ? q : []; }
  // dead is how many kept ratings could not be sent, shown for a day
  // after the last of them.
  function dead() { var d = load(DEAD, null); return d && typeof d.n === "number" && Date.now() - d.t < DAY ? d.n : 0; }
  function save(q) { localStorage.setItem(QUEUE, JSON.stringify(q)); }
  function fmt(s, n) { return s.replace("%d", String(n)); }

  function show() {
    var n = queue().length, d = dead(), parts = [];
    if (n > 0) parts.push(fmt(n === 1 ? status.dataset.pendingOne : status.dataset.pending, n));
    if (d > 0) parts.push(fmt(status.dataset.dead, d));
    var text = parts.join(" ");
    if (status.textContent !== text) status.textContent = text;
  }

  // newID is a fresh submission id in the server's own format: 16 random
  // bytes, base64url without padding (22 characters).
  function newID() {
    var b = new Uint8Array(16), s = "";
    crypto.getRandomValues(b);
    for (var i = 0; i < b.length; i++) s += String.fromCharCode(b[i]);
    return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  // post posts a form body; it fails after TIMEOUT, as on a Wi-Fi that
  // takes packets and answers none. (Had the server stored the rating
  // meanwhile, its resend answers as stored.)
  function post(url, body, redirect) {
    var ac = new AbortController(), timer = setTimeout(function () { ac.abort(); }, TIMEOUT);
    return fetch(url, {
      method: "POST", body: body, credentials: "same-origin", redirect: redirect, signal: ac.signal,
      headers: { "Content-Type": "application/x-www-form-urlencoded" }
    }).then(function (r) { clearTimeout(timer); return r; }, function (err) { clearTimeout(timer); throw err; });
  }

  // sent: the server has the rating (a 303 to the thank-you page, for a
  // first send and a resend alike).
  function sent(r) { return r.type === "opaqueredirect" || (r.status >= 200 && r.status < 400); }

  // flush sends the queued entries one by one, oldest first, and removes
  // each once the server has answered for it; it stops at the first
  // network failure, busy server (5xx) or rate limit (429), to try again
  // later.
  async function flush() {
    if (busy || !navigator.onLine) return;
    busy = true;
    try {
      for (;;) {
        var q = queue();
        if (q.length === 0) break;
        var e = q[0], drop = false;
        if (!(Date.now() - e.t <= MAX_AGE)) {
          drop = true;
        } else {
          var r;
          try { r = await post(e.url, e.body, "manual"); } catch (err) { break; }
          if (r.status === 429 || r.status >= 500) break;
          drop = !sent(r); // another 4xx: the entry can never be stored
        }
        q = queue().filter(function (x) { return x.id !== e.id; });
        save(q);
        if (drop) localStorage.setItem(DEAD, JSON.stringify({ n: dead() + 1, t: Date.now() }));
        show();
      }
    } finally {
      busy = false;
      show();
    }
  }

  // thank shows the thank-you of a rating kept on the tablet, then a fresh
  // form with a new submission id.
  function thank() {
    form.hidden = true;
    saved.hidden = false;
    saved.focus();
    window.scrollTo(0, 0);
    setTimeout(function () {
      var els = form.elements;
      for (var i = 0; i < els.length; i++) {
        var el = els[i];
        if (el.type === "radio") el.checked = false;
        else if (el.tagName === "TEXTAREA" || el.name === "website") el.value = "";
      }
      form.elements.submission_id.value = newID();
      var sum = document.getElementById("errors");
      if (sum) sum.remove();
      document.querySelectorAll("fieldset.err").forEach(function (f) { f.classList.remove("err"); f.removeAttribute("aria-describedby"); });
      document.querySelectorAll("fieldset .msg").forEach(function (m) { m.remove(); });
      saved.hidden = true;
      form.hidden = false;
    }, (Number(status.dataset.delay) || 8) * 1000);
  }

  // missing marks the criteria left unanswered, as the server's page
  // would (the one mistake a form of ours can hold), and says whether
  // there are any: such a rating is not kept, since the server would
  // refuse it.
  function missing() {
    var miss = [];
    document.querySelectorAll("form fieldset[id^='q-']").forEach(function (f) {
      if (!f.querySelector("input[type=radio]") || f.querySelector("input:checked")) return;
      f.classList.add("err");
      miss.push(f);
    });
    if (miss.length === 0) return false;
    var old = document.getElementById("errors");
    if (old) old.remove();
    var div = document.createElement("div"), p = document.createElement("p"), b = document.createElement("strong"), ul = document.createElement("ul");
    div.className = "summary"; div.id = "errors"; div.tabIndex = -1; div.setAttribute("role", "alert");
    b.textContent = status.dataset.fix;
    p.append(b, " " + fmt(status.dataset.missing, miss.length));
    miss.forEach(function (f) {
      var li = document.createElement("li"), a = document.createElement("a");
      a.href = "#" + f.id;
      a.textContent = f.querySelector("legend").firstChild.textContent.trim();
      li.append(a);
      ul.append(li);
    });
    div.append(p, ul);
    form.before(div);
    div.focus();
    return true;
  }

  function keep(body) {
    var q = queue();
    if (q.length >= MAX_ENTRIES) return false;
    q.push({ url: form.action, body: body, id: form.elements.submission_id.value, t: Date.now() });
    try { save(q); } catch (err) { return false; }
    show();
    return true;
  }

  var sending = false;
  form.addEventListener("submit", async function (ev) {
    ev.preventDefault();
    if (sending) return;
    var data = new FormData(form);
    if (ev.submitter && ev.submitter.name) data.append(ev.submitter.name, ev.submitter.value);
    var body = new URLSearchParams(data).toString();
    var r = null;
    sending = true;
    try {
      if (navigator.onLine) {
        try { r = await post(form.action, body, "follow"); } catch (err) { r = null; }
      }
      if (r === null) {
        if (missing()) return;
        if (keep(body)) { thank(); return; }
        status.textContent = status.dataset.full;
        return;
      }
      if (r.redirected && r.ok) {
        // Stored: the thank-you page the server sent to, as without the
        // script. (Had the connection dropped on the way there, fetch would
        // have failed and the rating been kept: its resend answers as
        // stored, and nothing is stored twice.)
        location.assign(r.url);
        return;
      }
      // The server answered with a page (a mistake to fix, a conflict, a
      // busy server): nothing was stored, so the form is posted again the
      // ordinary way to show that page.
      form.submit();
    } finally {
      sending = false;
    }
  });

  window.addEventListener("online", flush);
  window.addEventListener("offline", show);
  window.addEventListener("storage", show);
  setInterval(flush, RETRY);
  show();
  flush();
})();
