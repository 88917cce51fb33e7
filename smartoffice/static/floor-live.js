// The floor page, live: desks booked or freed anywhere change on the plan and in the list without a reload.
// The page names its stream in a data-live-url attribute (smartoffice/web/floor_live.py says what the stream
// sends). Each desk's elements carry data-desk-id (the plan's desk, the list's row "desk-<id>"): this script sets
// their data-status and data-team, swaps their desk--<status> and swatch--<status> classes and their aria-label,
// puts the status words in [data-live-label], hides the row's Book button when the desk is no longer free,
// updates [data-count=<status>] and says politely what changed. The root element says data-live-state="live" once
// the stream's first event is in (CSS or a test may show it), "off" while disconnected.
// Without JavaScript (or EventSource) the page is as it was: reload to see changes. The stream may end at any time
// (Redis down, a deploy, its age): this script reconnects, waiting longer each time it fails before a first event,
// and the first event of every connection brings the whole floor again.
(function () {
  "use strict";
  var root = document.querySelector("[data-live-url]");
  if (!root || !window.EventSource) return;
  var url = root.getAttribute("data-live-url");
  var source = null;
  var timer = null;
  var delay = 1000;
  var MAX_DELAY = 60000;
  var region = null;

  function elementsOf(id) {
    var found = Array.prototype.slice.call(document.querySelectorAll('[data-desk-id="' + id + '"]'));
    var row = document.getElementById("desk-" + id);
    if (row && found.indexOf(row) < 0) found.push(row);
    return found;
  }

  function statusOf(elements) {
    for (var i = 0; i < elements.length; i++) {
      var status = elements[i].getAttribute("data-status");
      if (status) return status;
      var match = /(?:^|\s)desk--([a-z_]+)/.exec(elements[i].getAttribute("class") || "");
      if (match) return match[1];
    }
    return null;
  }

  function swapClass(element, prefix, status) {
    var names = (element.getAttribute("class") || "").split(/\s+/);
    var had = false;
    names = names.filter(function (name) {
      if (name.indexOf(prefix) === 0) { had = true; return false; }
      return name !== "";
    });
    if (!had) return;
    names.push(prefix + status);
    element.setAttribute("class", names.join(" "));  // setAttribute: SVG elements too
  }

  function show(element, desk) {
    element.setAttribute("data-status", desk.status);
    swapClass(element, "desk--", desk.status);
    element.querySelectorAll("[class*='swatch--']").forEach(function (swatch) {
      swapClass(swatch, "swatch--", desk.status);
    });
    if (desk.team) element.setAttribute("data-team", "true");
    else element.removeAttribute("data-team");
    if (element.hasAttribute("aria-label")) element.setAttribute("aria-label", desk.label);
    element.querySelectorAll("[data-live-label]").forEach(function (words) { words.textContent = desk.text; });
    element.querySelectorAll("button[name=desk_id]").forEach(function (book) {
      book.hidden = desk.status !== "free";
      book.style.display = book.hidden ? "none" : "";  // the buttons' CSS display would outrank [hidden]
    });
  }

  function announce(text) {
    if (!text) return;
    if (!region) {
      region = document.createElement("div");
      region.className = "visually-hidden";
      region.setAttribute("aria-live", "polite");
      region.setAttribute("data-floor-live", "");
      document.body.appendChild(region);
    }
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 50);  // the same words twice are said twice
  }

  function onDesks(event) {
    var data;
    try { data = JSON.parse(event.data); } catch (error) { return; }
    delay = 1000;  // a working stream: the next failure starts the back-off afresh
    root.setAttribute("data-live-state", "live");
    var changed = [];
    Object.keys(data.desks || {}).forEach(function (id) {
      var desk = data.desks[id];
      var elements = elementsOf(id);
      if (!elements.length) return;
      if (statusOf(elements) !== desk.status) changed.push(desk.label);
      elements.forEach(function (element) { show(element, desk); });
    });
    Object.keys(data.counts || {}).forEach(function (status) {
      document.querySelectorAll('[data-count="' + status + '"]').forEach(function (count) {
        count.textContent = String(data.counts[status]);
      });
    });
    if (changed.length > 0 && changed.length <= 3) announce(changed.join(". "));
    else if (changed.length > 3) announce(data.summary);
  }

  function connect() {
    timer = null;
    if (source || document.hidden) return;
    source = new EventSource(url);
    source.addEventListener("desks", onDesks);
    source.addEventListener("error", function () {
      // Ended or refused: close it (EventSource would retry at its own pace, or never after a 404) and retry later.
      stop();
      later();
    });
  }

  function stop() {
    root.setAttribute("data-live-state", "off");
    if (source) source.close();
    source = null;
  }

  function later() {
    if (timer || document.hidden) return;
    timer = window.setTimeout(connect, delay);
    delay = Math.min(delay * 2, MAX_DELAY);
  }

  // A hidden tab holds no connection; shown again, it reconnects and the first event brings it up to date.
  document.addEventListener("visibilitychange", function () {
    if (document.hidden) {
      stop();
      if (timer) { window.clearTimeout(timer); timer = null; }
    } else {
      connect();
    }
  });
  window.addEventListener("pagehide", stop);
  window.addEventListener("pageshow", function (event) { if (event.persisted) connect(); });
  connect();
})();
