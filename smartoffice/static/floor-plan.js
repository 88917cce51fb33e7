// The floor plan's zoom and pan, and the amenity filter applied as it is ticked.
//
// The plan is an SVG drawn at a fixed, readable scale (labels 13 px, desks >= 26 px) inside a box that scrolls:
// without this script the box still scrolls and the filter form still sends. Zooming changes the SVG's size
// (not a CSS transform), so the box's own scrolling pans, text stays crisp and links stay where they are drawn.
// Buttons +, −, fit and actual size work by keyboard; ctrl + wheel (and a trackpad's pinch) and two fingers on
// a touch screen zoom about the pointer; dragging with the mouse pans. No library: this is all it needs.
(function () {
  "use strict";
  var box = document.querySelector("[data-plan-viewport]");
  var plan = box && box.querySelector("svg.plan");
  var tools = document.querySelector("[data-plan-tools]");
  if (!box || !plan) return;

  var baseWidth = parseFloat(plan.getAttribute("data-width"));
  var baseHeight = parseFloat(plan.getAttribute("data-height"));
  var zoom = 1;
  var MAX = 4;

  function fitZoom() {
    var z = Math.min(box.clientWidth / baseWidth, box.clientHeight / baseHeight);
    return Math.min(1, z);
  }

  // Zoom to z, keeping the plan point under (x, y) (box coordinates; default the box's centre) where it is.
  function zoomTo(z, x, y) {
    z = Math.max(Math.min(fitZoom(), 1), Math.min(MAX, z));
    if (x === undefined) { x = box.clientWidth / 2; y = box.clientHeight / 2; }
    var px = (box.scrollLeft + x) / (baseWidth * zoom);
    var py = (box.scrollTop + y) / (baseHeight * zoom);
    zoom = z;
    plan.setAttribute("width", String(Math.round(baseWidth * z)));
    plan.setAttribute("height", String(Math.round(baseHeight * z)));
    box.scrollLeft = px * baseWidth * z - x;
    box.scrollTop = py * baseHeight * z - y;
    plan.setAttribute("data-zoom", z.toFixed(3));
  }

  if (tools) {
    tools.hidden = false;
    tools.addEventListener("click", function (event) {
      var button = event.target.closest("[data-zoom]");
      if (!button) return;
      var action = button.getAttribute("data-zoom");
      if (action === "in") zoomTo(zoom * 1.25);
      else if (action === "out") zoomTo(zoom / 1.25);
      else if (action === "fit") zoomTo(fitZoom());
      else zoomTo(1);
    });
  }

  box.addEventListener("wheel", function (event) {
    if (!event.ctrlKey && !event.metaKey) return; // a plain wheel scrolls the box
    event.preventDefault();
    var r = box.getBoundingClientRect();
    zoomTo(zoom * Math.exp(-event.deltaY / 300), event.clientX - r.left, event.clientY - r.top);
  }, { passive: false });

  // Pointers: two touches pinch; a mouse drag on the plan pans (a click on a desk still opens it).
  var pointers = new Map();
  var pinch = null;
  var drag = null;
  var moved = false;
  box.addEventListener("pointerdown", function (event) {
    pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
    if (pointers.size === 2) {
      var p = Array.from(pointers.values());
      pinch = { distance: Math.hypot(p[0].x - p[1].x, p[0].y - p[1].y), zoom: zoom };
      drag = null;
    } else if (event.pointerType === "mouse" && event.button === 0) {
      drag = { x: event.clientX, y: event.clientY, left: box.scrollLeft, top: box.scrollTop };
      moved = false;
    }
  });
  box.addEventListener("pointermove", function (event) {
    if (!pointers.has(event.pointerId)) return;
    pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
    if (pinch && pointers.size === 2) {
      var p = Array.from(pointers.values());
      var distance = Math.hypot(p[0].x - p[1].x, p[0].y - p[1].y);
      var r = box.getBoundingClientRect();
      if (pinch.distance > 0) {
        zoomTo(pinch.zoom * distance / pinch.distance, (p[0].x + p[1].x) / 2 - r.left, (p[0].y + p[1].y) / 2 - r.top);
      }
    } else if (drag) {
      var dx = event.clientX - drag.x;
      var dy = event.clientY - drag.y;
      if (!moved && Math.abs(dx) + Math.abs(dy) > 4) {
        moved = true;
        box.classList.add("is-dragging");
      }
      if (moved) {
        box.scrollLeft = drag.left - dx;
        box.scrollTop = drag.top - dy;
      }
    }
  });
  function release(event) {
    pointers.delete(event.pointerId);
    if (pointers.size < 2) pinch = null;
    drag = null;
    box.classList.remove("is-dragging");
  }
  box.addEventListener("pointerup", release);
  box.addEventListener("pointercancel", release);
  // A drag that ends on a desk is a pan, not a click on it.
  box.addEventListener("click", function (event) {
    if (moved) {
      event.preventDefault();
      moved = false;
    }
  }, true);

  // The chosen desk is in view when the page opens (the box, not the page, scrolls to it).
  var current = plan.querySelector("a.desk[aria-current]");
  if (current) {
    var d = current.getBoundingClientRect();
    var b = box.getBoundingClientRect();
    box.scrollLeft += d.left + d.width / 2 - (b.left + box.clientWidth / 2);
    box.scrollTop += d.top + d.height / 2 - (b.top + box.clientHeight / 2);
  }

  // The amenity filter, applied as boxes are ticked: the plan dims the desks without them, the list hides them,
  // and the address says so (a reload or a shared link shows the same).
  var filter = document.querySelector("[data-amenity-filter]");
  if (filter) {
    var apply = function () {
      var chosen = Array.from(filter.querySelectorAll("input[name=amenity]:checked")).map(function (i) {
        return i.value;
      });
      var unmatched = {};
      document.querySelectorAll("svg.plan a.desk").forEach(function (desk) {
        var has = (desk.getAttribute("data-amenities") || "").split(" ");
        var matches = chosen.every(function (a) { return has.indexOf(a) >= 0; });
        if (matches) desk.removeAttribute("data-match");
        else desk.setAttribute("data-match", "no");
        if (!matches) unmatched[desk.getAttribute("data-desk-id")] = true;
      });
      // The list's rows carry no equipment attribute of their own: the plan's desk with the same id says.
      document.querySelectorAll(".desk-list tr[data-desk-id]").forEach(function (row) {
        var hide = unmatched[row.getAttribute("data-desk-id")] === true;
        row.hidden = hide;
        if (hide) row.setAttribute("data-match", "no");
        else row.removeAttribute("data-match");
      });
      var note = document.querySelector("[data-filter-note]");
      if (note) note.hidden = true;
      var url = new URL(window.location.href);
      url.searchParams.delete("amenity");
      chosen.forEach(function (a) { url.searchParams.append("amenity", a); });
      window.history.replaceState(null, "", url.toString());
    };
    filter.addEventListener("change", apply);
  }
})();
