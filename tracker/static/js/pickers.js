// Pickers: a select with data-pick="/pick/client" (it holds the chosen record and a short
// list, or every person) becomes a Tom Select that asks the server as you type: what the
// server found (pinyin and initials work there) is shown beside the options whose text
// holds what is typed; any other
// multi-select (a long list of participants) becomes a Tom Select with removable chips, no
// Ctrl-click. A short one is written as checkboxes (tracker/web/checklist.py): left as is.
// A typed-name filter (input[data-pick-name], the queue's client) becomes a picker that
// sends the chosen id. Without this script the plain select or text field works.
(function () {
  if (typeof window.TomSelect !== "function") { return; }

  function remote(select) {
    var url = select.getAttribute("data-pick");
    var multiple = select.multiple;
    var found = {};  // query -> {value: true} of what the server matched for it
    var settings = {
      valueField: "value", labelField: "text", searchField: ["text"],
      maxOptions: 50, loadThrottle: 200, preload: false,
      plugins: multiple ? ["remove_button"] : [],
      score: function (query) {
        var local = this.sifter.getScoreFunction(query, this.getSearchOptions());
        var matched = found[query] || {};
        return function (item) { return matched[item.value] ? 1 : local(item); };
      },
      shouldLoad: function (query) { return query.trim().length > 0; },
      load: function (query, callback) {
        var sep = url.indexOf("?") < 0 ? "?" : "&";
        fetch(url + sep + "q=" + encodeURIComponent(query), {
          credentials: "same-origin", headers: { "Accept": "application/json" }
        }).then(function (response) {
          return response.ok ? response.json() : [];
        }).then(function (items) {
          found[query] = {};
          items.forEach(function (item) { found[query][item.value] = true; });
          callback(items);
        }).catch(function () { callback(); });
      },
      render: {
        no_results: function () {
          var div = document.createElement("div");
          div.className = "no-results";
          div.textContent = select.getAttribute("data-pick-none") || "—";
          return div;
        }
      }
    };
    if (!multiple) { settings.allowEmptyOption = true; }
    return new window.TomSelect(select, settings);
  }

  function local(select) {
    return new window.TomSelect(select, {
      plugins: ["remove_button"], maxOptions: null, hidePlaceholder: true
    });
  }

  // The queue's client field: a text box read by name on the server, without script.
  function fromTextBox(input) {
    var select = document.createElement("select");
    select.name = input.getAttribute("data-pick-name");
    select.setAttribute("data-pick", input.getAttribute("data-pick-url"));
    select.setAttribute("aria-label", input.getAttribute("aria-label") || "");
    select.setAttribute("data-pick-none", input.getAttribute("data-pick-none") || "");
    var blank = document.createElement("option");
    blank.value = "";
    blank.textContent = input.getAttribute("placeholder") || "";
    select.appendChild(blank);
    input.replaceWith(select);
    var picker = remote(select);
    picker.settings.placeholder = blank.textContent;
    picker.inputState();
    if (input.value) { picker.setTextboxValue(input.value); picker.load(input.value); }
    return select;
  }

  function enhance(root) {
    if (!root.querySelectorAll) { return; }
    root.querySelectorAll("input[data-pick-name][data-pick-url]").forEach(fromTextBox);
    root.querySelectorAll("select[data-pick]").forEach(function (select) {
      if (!select.tomselect) { remote(select); }
    });
    root.querySelectorAll("select[multiple]:not([data-pick]):not([data-plain])")
      .forEach(function (select) { if (!select.tomselect) { local(select); } });
  }
  enhance(document);
  // A status move swaps the page's <main> in place (app.js): its pickers are new.
  document.addEventListener("htmx:load", function (event) { enhance(event.detail.elt); });
})();

// Rows of a form list (a round's topics, its next steps): add one, remove one, in place.
// The form holds a blank row or two already, which is all there is without this script;
// a new row is a copy of the last one with its number moved on, its values cleared.
// <fieldset data-rows=".topic-row" data-add="Add a topic" data-remove="Remove this row">
(function () {
  function renumber(row, next) {
    row.querySelectorAll("[name], [id], label[for]").forEach(function (el) {
      ["name", "id", "for"].forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value) { el.setAttribute(attr, value.replace(/-\d+-/, "-" + next + "-")); }
      });
    });
  }

  function clear(row) {
    row.querySelectorAll("input, textarea, select").forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") { el.checked = false; }
      else if (el.tagName === "SELECT") { el.selectedIndex = 0; }
      else { el.value = ""; }
      el.removeAttribute("aria-invalid");
    });
    row.querySelectorAll(".field-error").forEach(function (el) { el.remove(); });
  }

  function removeButton(holder, row, selector) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary outline small row-remove";
    button.textContent = holder.getAttribute("data-remove");
    button.addEventListener("click", function () {
      if (holder.querySelectorAll(selector).length > 1) { row.remove(); } else { clear(row); }
    });
    row.appendChild(button);
  }

  function enhance(root) {
    if (!root.querySelectorAll) { return; }
    root.querySelectorAll("fieldset[data-rows]:not([data-rows-ready])").forEach(rowsOf);
  }

  function rowsOf(holder) {
    holder.setAttribute("data-rows-ready", "");
    var selector = holder.getAttribute("data-rows");
    var rows = holder.querySelectorAll(selector);
    if (!rows.length) { return; }
    rows.forEach(function (row) { removeButton(holder, row, selector); });
    var add = document.createElement("button");
    add.type = "button";
    add.className = "secondary small row-add";
    add.textContent = holder.getAttribute("data-add");
    add.addEventListener("click", function () {
      var all = holder.querySelectorAll(selector);
      var last = all[all.length - 1];
      var next = 0;
      holder.querySelectorAll("[name]").forEach(function (el) {
        var match = /-(\d+)-/.exec(el.getAttribute("name"));
        if (match) { next = Math.max(next, parseInt(match[1], 10) + 1); }
      });
      var copy = last.cloneNode(true);
      copy.querySelectorAll(".row-remove").forEach(function (b) { b.remove(); });
      renumber(copy, next);
      clear(copy);
      removeButton(holder, copy, selector);
      last.after(copy);
      var first = copy.querySelector("input, textarea, select");
      if (first) { first.focus(); }
    });
    holder.appendChild(add);
  }

  enhance(document);
  document.addEventListener("htmx:load", function (event) { enhance(event.detail.elt); });
})();
