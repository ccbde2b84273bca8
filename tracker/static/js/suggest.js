// The top bar's search suggests organizations, contacts and people as you type (pinyin
// and initials work: "qh" finds 青禾). A WAI-ARIA combobox: arrow keys move through the
// list, Enter opens the chosen one (or searches for what is typed), Escape closes it.
// Without this script the box is a plain search form.
(function () {
  var input = document.querySelector("input[data-suggest]");
  if (!input) { return; }
  var list = document.getElementById(input.getAttribute("aria-controls"));
  var items = [];
  var active = -1;
  var timer = null;
  var asked = "";

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function choose(index) {
    var options = list.querySelectorAll("[role=option]");
    options.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    active = index;
    if (index >= 0) {
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function show(found) {
    items = found;
    list.textContent = "";
    if (!found.length) { close(); return; }
    found.forEach(function (item, i) {
      var li = document.createElement("div");
      li.id = "suggest-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      var label = document.createElement("span");
      label.textContent = item.label;
      var kind = document.createElement("small");
      kind.className = "muted";
      kind.textContent = " · " + item.kind + (item.context ? " · " + item.context : "");
      li.appendChild(label);
      li.appendChild(kind);
      li.addEventListener("mousedown", function (event) {
        event.preventDefault();
        go(i);
      });
      list.appendChild(li);
    });
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    active = -1;
  }

  function go(index) {
    var item = items[index];
    if (item && item.url) { window.location.href = item.url; }
  }

  function ask() {
    var q = input.value.trim();
    if (q === asked) { return; }
    asked = q;
    if (!q) { show([]); return; }
    fetch(input.getAttribute("data-suggest") + "?q=" + encodeURIComponent(q), {
      headers: { "Accept": "application/json" }, credentials: "same-origin"
    }).then(function (response) {
      return response.ok ? response.json() : [];
    }).then(function (found) {
      if (input.value.trim() === q) { show(found); }
    }).catch(function () { close(); });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(ask, 150);
  });
  input.addEventListener("keydown", function (event) {
    if (list.hidden) { return; }
    var count = items.length;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      choose((active + 1) % count);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      choose(active <= 0 ? count - 1 : active - 1);
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      go(active);
    } else if (event.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", function () { window.setTimeout(close, 100); });
})();
