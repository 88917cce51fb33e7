/* The floor plan editor (templates/admin/floor_plan.html): select, drag, resize, rotate, copy, number, align and
 * nudge desks and rooms on the plan. The form table is the model: every change is written into its inputs and
 * the drawing follows them, so what is saved is what the table shows. On submit the rows are posted as JSON in
 * the hidden "placements" field (the page without this script posts the table itself).
 *
 * Pointer work (mouse, pen, touch) is interact.js (static/vendor/interact.min.js); metres per pixel come from the
 * SVG's screen matrix. Delete never deletes: retiring a space is a confirmed action on the places page.
 */
(function () {
  "use strict";

  var svg = document.getElementById("plan-editor");
  var table = document.getElementById("plan-table");
  var form = document.getElementById("plan-form");
  var tools = document.getElementById("plan-tools");
  var status = document.getElementById("plan-status");
  if (!svg || !table || !form || !tools || typeof window.interact !== "function") {
    return;
  }
  var interact = window.interact;
  var SVG_NS = "http://www.w3.org/2000/svg";
  var FIELDS = ["x", "y", "width", "height", "rotation"];
  var W = parseFloat(svg.getAttribute("data-floor-width"));
  var H = parseFloat(svg.getAttribute("data-floor-height"));
  var spaces = new Map(); // id (string) -> {id, copyOf, kind, g, row}
  var selected = new Set();
  var copies = 0;

  function round(v) {
    return Math.round(v * 100) / 100;
  }

  function message(name, values) {
    var text = tools.getAttribute("data-" + name) || "";
    Object.keys(values || {}).forEach(function (key) {
      text = text.split("{" + key + "}").join(values[key]);
    });
    return text;
  }

  function say(text) {
    status.textContent = text;
  }

  function input(s, field) {
    return s.row.querySelector('[data-field="' + field + '"]');
  }

  function read(s) {
    var v = { code: input(s, "code").value.trim() };
    FIELDS.forEach(function (f) {
      var n = parseFloat(String(input(s, f).value).replace(",", "."));
      v[f] = isFinite(n) ? n : 0;
    });
    return v;
  }

  function write(s, v) {
    Object.keys(v).forEach(function (f) {
      var el = input(s, f);
      if (el) {
        el.value = f === "code" ? v[f] : String(round(v[f]));
      }
    });
    draw(s, v);
  }

  function draw(s, v) {
    v = v || read(s);
    var rect = s.g.querySelector("rect");
    var text = s.g.querySelector("text");
    var cx = v.x + v.width / 2;
    var cy = v.y + v.height / 2;
    rect.setAttribute("x", v.x);
    rect.setAttribute("y", v.y);
    rect.setAttribute("width", Math.max(v.width, 0.01));
    rect.setAttribute("height", Math.max(v.height, 0.01));
    text.setAttribute("x", cx);
    text.setAttribute("y", cy);
    text.textContent = v.code;
    if (v.rotation) {
      s.g.setAttribute("transform", "rotate(" + v.rotation + " " + cx + " " + cy + ")");
    } else {
      s.g.removeAttribute("transform");
    }
    s.g.setAttribute("aria-label", message("kind-" + s.kind) + " " + v.code);
  }

  /* The rectangle turned about its centre: its extent on the floor. */
  function bounds(v) {
    var r = (v.rotation * Math.PI) / 180;
    var hw = (Math.abs(v.width * Math.cos(r)) + Math.abs(v.height * Math.sin(r))) / 2;
    var hh = (Math.abs(v.width * Math.sin(r)) + Math.abs(v.height * Math.cos(r))) / 2;
    var cx = v.x + v.width / 2;
    var cy = v.y + v.height / 2;
    return { left: cx - hw, top: cy - hh, right: cx + hw, bottom: cy + hh };
  }

  /* Move by (dx, dy) metres, as far as the floor's edges allow for every one of them together. */
  function moveAll(list, dx, dy) {
    var values = list.map(read);
    values.forEach(function (v) {
      var b = bounds(v);
      dx = Math.min(Math.max(dx, -b.left), W - b.right);
      dy = Math.min(Math.max(dy, -b.top), H - b.bottom);
    });
    list.forEach(function (s, i) {
      var v = values[i];
      v.x = round(v.x + dx);
      v.y = round(v.y + dy);
      write(s, v);
    });
  }

  /* Back inside the floor (after a rotation, a copy or a resize). */
  function keepInside(s) {
    var v = read(s);
    var b = bounds(v);
    v.x = round(v.x + Math.max(0, -b.left) - Math.max(0, b.right - W));
    v.y = round(v.y + Math.max(0, -b.top) - Math.max(0, b.bottom - H));
    write(s, v);
  }

  function selectedList() {
    return Array.from(selected).map(function (id) {
      return spaces.get(id);
    });
  }

  function refreshSelection() {
    spaces.forEach(function (s, id) {
      var on = selected.has(id);
      s.g.classList.toggle("is-selected", on);
      s.g.setAttribute("aria-pressed", on ? "true" : "false");
      s.row.classList.toggle("is-selected", on);
    });
    var n = selected.size;
    say(n === 0 ? message("selected-none") : n === 1 ? message("selected-one") : message("selected-many", { count: n }));
  }

  function select(id, add) {
    if (!add) {
      selected.clear();
      selected.add(id);
    } else if (selected.has(id)) {
      selected.delete(id);
    } else {
      selected.add(id);
    }
    refreshSelection();
  }

  function register(g, row, copyOf) {
    var id = g.getAttribute("data-id");
    var s = { id: id, copyOf: copyOf || null, kind: g.getAttribute("data-kind"), g: g, row: row };
    g.setAttribute("tabindex", "0");
    g.setAttribute("role", "button");
    g.setAttribute("aria-pressed", "false");
    spaces.set(id, s);
    row.addEventListener("input", function () {
      draw(s);
    });
    row.addEventListener("focusin", function () {
      if (!selected.has(id)) {
        select(id, false);
      }
    });
    draw(s);
    return s;
  }

  svg.querySelectorAll(".space").forEach(function (g) {
    var row = table.querySelector('tbody tr[data-id="' + g.getAttribute("data-id") + '"]');
    if (row) {
      register(g, row, null);
    }
  });
  svg.setAttribute("role", "group");
  tools.hidden = false;

  function metresPerPixel() {
    var m = svg.getScreenCTM();
    return m ? 1 / m.a : 1;
  }

  function spaceOf(target) {
    var g = target && target.closest ? target.closest(".space") : null;
    return g ? spaces.get(g.getAttribute("data-id")) : null;
  }

  // ---- pointer: tap to select, drag the selection, resize one space from its right or bottom edge ----
  interact("#plan-editor .space")
    .on("tap", function (event) {
      var s = spaceOf(event.target);
      if (s) {
        select(s.id, event.shiftKey || event.ctrlKey || event.metaKey);
        s.g.focus({ preventScroll: true });
      }
    })
    .draggable({
      listeners: {
        start: function (event) {
          var s = spaceOf(event.target);
          if (s && !selected.has(s.id)) {
            select(s.id, event.shiftKey);
          }
        },
        move: function (event) {
          var k = metresPerPixel();
          moveAll(selectedList(), event.dx * k, event.dy * k);
        },
      },
    })
    .resizable({
      edges: { right: true, bottom: true },
      margin: 6,
      listeners: {
        move: function (event) {
          var s = spaceOf(event.target);
          if (!s) {
            return;
          }
          var v = read(s);
          var k = metresPerPixel();
          var r = (v.rotation * Math.PI) / 180;
          var dx = event.deltaRect.width * k;
          var dy = event.deltaRect.height * k;
          // The pointer moves on the screen; the space grows along its own (turned) sides.
          v.width = Math.max(0.1, round(v.width + dx * Math.cos(r) + dy * Math.sin(r)));
          v.height = Math.max(0.1, round(v.height - dx * Math.sin(r) + dy * Math.cos(r)));
          write(s, v);
        },
        end: function (event) {
          var s = spaceOf(event.target);
          if (s) {
            keepInside(s);
          }
        },
      },
    });

  svg.addEventListener("pointerdown", function (event) {
    if (!spaceOf(event.target) && !event.shiftKey) {
      selected.clear();
      refreshSelection();
    }
  });

  // ---- keyboard: Enter or Space selects (Shift adds), arrows nudge 0.1 m (Shift: 1 m), Escape clears ----
  svg.addEventListener("keydown", function (event) {
    var s = spaceOf(event.target);
    if (!s) {
      return;
    }
    var step = event.shiftKey ? 1 : 0.1;
    var moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      select(s.id, event.shiftKey);
    } else if (moves[event.key]) {
      event.preventDefault();
      if (!selected.has(s.id)) {
        select(s.id, false);
      }
      moveAll(selectedList(), moves[event.key][0], moves[event.key][1]);
    } else if (event.key === "Escape") {
      selected.clear();
      refreshSelection();
    } else if (event.key === "Delete" || event.key === "Backspace") {
      event.preventDefault();
      say(message("no-delete"));
    }
  });

  // ---- the tool buttons ----
  function allCodes() {
    var codes = new Set();
    spaces.forEach(function (s) {
      codes.add(input(s, "code").value.trim());
    });
    return codes;
  }

  function nextFreeCode(code, taken) {
    var match = /^(.*?)(\d+)$/.exec(code);
    var prefix = match ? match[1] : code + "-";
    var n = match ? parseInt(match[2], 10) : 1;
    var digits = match ? match[2].length : 1;
    var candidate;
    do {
      n += 1;
      candidate = prefix + String(n).padStart(digits, "0");
    } while (taken.has(candidate));
    return candidate;
  }

  function copySelected() {
    var taken = allCodes();
    var made = [];
    var sources = selectedList().sort(function (a, b) {
      return read(a).code.localeCompare(read(b).code, undefined, { numeric: true });
    });
    sources.forEach(function (source) {
      copies += 1;
      var id = "new-" + copies;
      var g = source.g.cloneNode(true);
      var row = source.row.cloneNode(true);
      g.setAttribute("data-id", id);
      row.setAttribute("data-id", id);
      row.querySelectorAll("input").forEach(function (el) {
        el.name = el.getAttribute("data-field") + "-" + id;
      });
      svg.appendChild(g);
      source.row.parentNode.appendChild(row);
      var s = register(g, row, source.copyOf || source.id);
      var v = read(source);
      v.code = nextFreeCode(v.code, taken);
      taken.add(v.code);
      v.x += 0.5;
      v.y += 0.5;
      write(s, v);
      keepInside(s);
      made.push(s);
    });
    selected = new Set(
      made.map(function (s) {
        return s.id;
      })
    );
    refreshSelection();
    if (made.length) {
      say(
        message("copied", {
          codes: made
            .map(function (s) {
              return read(s).code;
            })
            .join(", "),
        })
      );
    }
  }

  function rotateSelected() {
    selectedList().forEach(function (s) {
      var v = read(s);
      v.rotation = (Math.round(v.rotation) + 90) % 360;
      write(s, v);
      keepInside(s);
    });
  }

  function align(how) {
    var list = selectedList();
    if (list.length < 2) {
      return;
    }
    var all = list.map(function (s) {
      return bounds(read(s));
    });
    var left = Math.min.apply(null, all.map(function (b) { return b.left; }));
    var top = Math.min.apply(null, all.map(function (b) { return b.top; }));
    var right = Math.max.apply(null, all.map(function (b) { return b.right; }));
    var centre = (left + right) / 2;
    list.forEach(function (s, i) {
      var v = read(s);
      var b = all[i];
      if (how === "left") {
        v.x = round(v.x + left - b.left);
      } else if (how === "top") {
        v.y = round(v.y + top - b.top);
      } else {
        v.x = round(centre - v.width / 2);
      }
      write(s, v);
    });
  }

  function renumber() {
    var prefix = document.getElementById("renumber-prefix").value.trim();
    var start = parseInt(document.getElementById("renumber-start").value, 10);
    if (!isFinite(start)) {
      start = 1;
    }
    selectedList()
      .sort(function (a, b) {
        var va = read(a);
        var vb = read(b);
        return va.y - vb.y || va.x - vb.x;
      })
      .forEach(function (s, i) {
        var v = read(s);
        v.code = prefix + String(start + i);
        write(s, v);
      });
  }

  tools.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-action]");
    if (!button) {
      return;
    }
    var action = button.getAttribute("data-action");
    if (action === "select-all") {
      selected = new Set(spaces.keys());
      refreshSelection();
    } else if (action === "clear") {
      selected.clear();
      refreshSelection();
    } else if (action === "only-selected") {
      var on = button.getAttribute("aria-pressed") !== "true";
      button.setAttribute("aria-pressed", on ? "true" : "false");
      table.classList.toggle("only-selected", on);
    } else if (action === "copy") {
      copySelected();
    } else if (action === "rotate") {
      rotateSelected();
    } else if (action.indexOf("align-") === 0) {
      align(action.slice(6));
    } else if (action === "renumber") {
      renumber();
    }
  });

  // ---- saving: every row, as JSON ----
  form.addEventListener("submit", function () {
    var placements = [];
    spaces.forEach(function (s) {
      var v = read(s);
      var item = { code: v.code, x: v.x, y: v.y, width: v.width, height: v.height, rotation: v.rotation };
      if (s.copyOf) {
        item.copyOf = parseInt(s.copyOf, 10);
      } else {
        item.spaceId = parseInt(s.id, 10);
      }
      placements.push(item);
    });
    document.getElementById("plan-placements").value = JSON.stringify(placements);
  });

  refreshSelection();
  say("");
})();
