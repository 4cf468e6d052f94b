// Suggestions as one types in any search box with data-suggest (the form works without this).
(function () {
  "use strict";
  function attach(input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    if (!list) return;
    var timer = null, last = "", active = -1;
    function links() { return list.querySelectorAll("a"); }
    function close() { list.hidden = true; list.textContent = ""; active = -1; input.setAttribute("aria-expanded", "false"); }
    function mark(index) {
      var items = links();
      for (var i = 0; i < items.length; i++) items[i].setAttribute("aria-selected", i === index ? "true" : "false");
      active = index;
      if (items[index]) items[index].focus();
    }
    function show(data) {
      list.textContent = "";
      (data.suggestions || []).forEach(function (s) {
        var li = document.createElement("li"), a = document.createElement("a");
        li.setAttribute("role", "presentation");
        a.href = s.url; a.setAttribute("role", "option"); a.textContent = s.title;
        if (s.year) { var y = document.createElement("span"); y.className = "year"; y.textContent = " (" + s.year + ")"; a.appendChild(y); }
        li.appendChild(a); list.appendChild(li);
      });
      list.hidden = !list.children.length;
      input.setAttribute("aria-expanded", list.hidden ? "false" : "true");
    }
    function fetchSuggestions() {
      var q = input.value.trim();
      if (q === last) return;
      last = q;
      if (!q) { close(); return; }
      fetch(input.getAttribute("data-suggest") + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (data) { if (input.value.trim() === q) show(data); })
        .catch(close);
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(fetchSuggestions, 120); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" && !list.hidden) { e.preventDefault(); mark(0); }
      else if (e.key === "Escape") close();
    });
    list.addEventListener("keydown", function (e) {
      var n = links().length;
      if (e.key === "ArrowDown") { e.preventDefault(); mark(Math.min(active + 1, n - 1)); }
      else if (e.key === "ArrowUp") { e.preventDefault(); if (active <= 0) { mark(-1); input.focus(); } else mark(active - 1); }
      else if (e.key === "Escape") { close(); input.focus(); }
    });
    document.addEventListener("click", function (e) { if (e.target !== input && !list.contains(e.target)) close(); });
  }
  var inputs = document.querySelectorAll("input[data-suggest]");
  for (var i = 0; i < inputs.length; i++) attach(inputs[i]);
})();
