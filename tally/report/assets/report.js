// Tally review report: lazy document texts, figure details, checks that lead to their figures,
// filters and keyboard navigation. Every piece of source text reaches the page through
// textContent or createTextNode, never as markup.
(function () {
  "use strict";
  var rendered = {};
  var active = null;

  function payload(i) {
    var el = document.getElementById("t-" + i);
    return el ? JSON.parse(el.textContent) : null;
  }

  function figureNode(doc, data, node) {
    var j = node[0], f = data.f[j];
    var m = document.createElement("mark");
    m.className = "fig k-" + f.k;
    m.id = "f-" + doc + "-" + j;
    m.tabIndex = 0;
    m.dataset.doc = doc;
    m.dataset.fig = j;
    m.dataset.start = f.o;
    for (var n = 1; n < node.length; n++) append(doc, data, m, node[n]);
    return m;
  }

  function append(doc, data, parent, item) {
    if (typeof item === "string") parent.appendChild(document.createTextNode(item));
    else parent.appendChild(figureNode(doc, data, item));
  }

  function cell(row, text, cls) {
    var td = document.createElement("td");
    td.textContent = text;
    if (cls) td.className = cls;
    row.appendChild(td);
  }

  function figureTable(doc, data) {
    var table = document.createElement("table");
    var head = table.insertRow();
    ["line", "text", "kind", "value", "unit", "qualifier", "counts"].forEach(function (h) {
      var th = document.createElement("th"); th.textContent = h; head.appendChild(th);
    });
    data.f.forEach(function (f, j) {
      var row = table.insertRow();
      cell(row, String(f.l), "n");
      var td = document.createElement("td");
      td.appendChild(figureNode(doc, data, [j, f.t]));
      row.appendChild(td);
      cell(row, f.k); cell(row, f.v || "", "n"); cell(row, f.u || ""); cell(row, f.q); cell(row, f.c || "");
    });
    return table;
  }

  function render(i) {
    if (rendered[i]) return;
    var body = document.querySelector("#d-" + i + " .doc-body");
    var data = payload(i);
    if (!body || !data) return;
    rendered[i] = data;
    if (data.s) {
      var pre = document.createElement("pre");
      pre.className = "text";
      data.s.forEach(function (item) { append(i, data, pre, item); });
      body.appendChild(pre);
    } else {
      var note = document.createElement("p");
      note.className = "missing";
      note.textContent = "The text is not shown: " + data.m + ". Its figures:";
      body.appendChild(note);
      body.appendChild(figureTable(i, data));
    }
  }

  function openDoc(i) {
    var d = document.getElementById("d-" + i);
    if (!d) return null;
    render(i);
    if (!d.open) d.open = true;
    return d;
  }

  // -- figure details on hover and focus --------------------------------------------------------
  var tip = document.getElementById("tip");
  function showTip(m) {
    var data = rendered[m.dataset.doc];
    if (!data) return;
    var f = data.f[+m.dataset.fig];
    var rows = [["text", f.t || m.textContent], ["kind", f.k], ["value", f.v], ["unit", f.u], ["qualifier", f.q],
                ["counts", f.c], ["line", String(f.l)], ["id", data.d + ":" + f.o]];
    var dl = document.createElement("dl");
    rows.forEach(function (r) {
      if (!r[1]) return;
      var dt = document.createElement("dt"); dt.textContent = r[0];
      var dd = document.createElement("dd"); dd.textContent = r[1];
      dl.appendChild(dt); dl.appendChild(dd);
    });
    tip.replaceChildren(dl);
    tip.hidden = false;
    var box = m.getBoundingClientRect();
    tip.style.left = Math.max(4, Math.min(box.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - 370)) + "px";
    tip.style.top = (box.bottom + window.scrollY + 6) + "px";
  }
  function hideTip() { tip.hidden = true; }
  document.addEventListener("mouseover", function (e) {
    var m = e.target.closest && e.target.closest("mark.fig");
    if (m) showTip(m); else hideTip();
  });
  document.addEventListener("focusin", function (e) {
    if (e.target.matches && e.target.matches("mark.fig")) showTip(e.target); else hideTip();
  });

  // -- documents --------------------------------------------------------------------------------
  document.querySelectorAll("details.doc").forEach(function (d) {
    d.addEventListener("toggle", function () { if (d.open) render(+d.dataset.doc); });
  });
  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("[data-open]");
    if (!a) return;
    e.preventDefault();
    var d = openDoc(+a.dataset.open);
    if (d) d.scrollIntoView({ block: "start" });
  });
  document.getElementById("open-all").addEventListener("click", function () {
    document.querySelectorAll("details.doc").forEach(function (d) { openDoc(+d.dataset.doc); });
  });
  document.getElementById("close-all").addEventListener("click", function () {
    document.querySelectorAll("details.doc[open]").forEach(function (d) { d.open = false; });
  });

  // -- checks -----------------------------------------------------------------------------------
  function activate(li, focus) {
    if (active) active.classList.remove("active");
    document.querySelectorAll("mark.fig.hl").forEach(function (m) { m.classList.remove("hl"); });
    active = li;
    li.classList.add("active");
    if (focus) li.focus({ preventScroll: false });
    if (li.dataset.doc === undefined) return;
    var doc = +li.dataset.doc;
    openDoc(doc);
    var first = null;
    (li.dataset.figs || "").split(" ").filter(Boolean).forEach(function (j) {
      var m = document.getElementById("f-" + doc + "-" + j);
      if (m) { m.classList.add("hl"); first = first || m; }
    });
    var target = first || document.getElementById("d-" + doc);
    if (target) target.scrollIntoView({ block: "center" });
  }
  var list = document.getElementById("check-list");
  list.addEventListener("click", function (e) {
    var li = e.target.closest("li.chk");
    if (li) activate(li, false);
  });
  list.addEventListener("keydown", function (e) {
    var li = e.target.closest("li.chk");
    if (!li) return;
    if (e.key === "Enter" || e.key === " ") { e.preventDefault(); activate(li, false); }
    else if (e.key === "ArrowDown" || e.key === "ArrowUp") {  // focus the next or previous check shown
      var shown = Array.prototype.filter.call(list.querySelectorAll("li.chk"), visible);
      var to = shown[shown.indexOf(li) + (e.key === "ArrowDown" ? 1 : -1)];
      if (to) { e.preventDefault(); to.focus(); }
    }
  });

  function visible(li) { return li.offsetParent !== null; }
  function step(dir) {
    var failing = Array.prototype.filter.call(list.querySelectorAll("li.chk.failing"), visible);
    if (!failing.length) return;
    var at = failing.indexOf(active);
    var next = at < 0 ? (dir > 0 ? 0 : failing.length - 1) : (at + dir + failing.length) % failing.length;
    activate(failing[next], true);
  }
  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.target.matches && e.target.matches("input, textarea, select")) return;
    if (e.key === "n" || e.key === "j") { e.preventDefault(); step(1); }
    else if (e.key === "p" || e.key === "k") { e.preventDefault(); step(-1); }
    else if (e.key === "Escape") { hideTip(); }
  });

  // -- filters ----------------------------------------------------------------------------------
  document.querySelectorAll("input[data-filter]").forEach(function (box) {
    box.addEventListener("change", function () {
      document.body.classList.toggle("hide-" + box.dataset.filter, !box.checked);
    });
  });
})();
