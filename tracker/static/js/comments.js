// Comments on a record's page: an @mention picker in the comment box (it offers only the
// people the server lists, those who may see the record; pinyin and initials work there),
// a question before a comment is removed, and htmx answers of a refused comment (422)
// swapped in like a saved one. Without this script the form posts as it is, @names typed
// by hand still notify, and "Choose people to notify" opens the list of people.
(function () {
  if (window.trackerComments) { return; }
  window.trackerComments = true;

  // In the capture phase, before htmx's own listener on the form sends it.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-comment-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopPropagation();
    }
  }, true);

  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail;
    if (!detail.target || detail.target.id !== "comments") { return; }
    if (detail.xhr && detail.xhr.status === 422) {
      detail.shouldSwap = true;
      detail.isError = false;
    }
    // htmx copies an old element's style attribute onto its new namesake (a comment box
    // the reader resized), which the Content-Security-Policy refuses: drop it first.
    detail.target.querySelectorAll("[style]").forEach(function (element) {
      element.removeAttribute("style");
    });
  });

  var BOX = "textarea[data-mention-source]";
  var state = { box: null, list: null, items: [], active: -1, start: -1, asked: null, timer: null };

  function listOf(box) {
    var id = box.id + "-mentions";
    var list = document.getElementById(id);
    if (!list) {
      list = document.createElement("div");
      list.id = id;
      list.className = "mention-list";
      list.setAttribute("role", "listbox");
      list.hidden = true;
      box.parentNode.insertBefore(list, box.nextSibling);
      box.setAttribute("aria-controls", id);
      box.setAttribute("aria-autocomplete", "list");
    }
    return list;
  }

  // The "@name" being typed just before the caret, or null.
  function typed(box) {
    var upto = box.value.slice(0, box.selectionStart);
    var at = upto.lastIndexOf("@");
    if (at < 0 || (at > 0 && /\w/.test(upto.charAt(at - 1)))) { return null; }
    var text = upto.slice(at + 1);
    if (!text.trim() || text.length > 30 || /[\n@]|\s\s/.test(text)) { return null; }
    return { start: at, text: text };
  }

  function close() {
    if (state.list) { state.list.hidden = true; state.list.textContent = ""; }
    if (state.box) { state.box.removeAttribute("aria-activedescendant"); }
    state.items = [];
    state.active = -1;
  }

  function mark(index) {
    var options = state.list.querySelectorAll("[role=option]");
    options.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    state.active = index;
    if (index >= 0) {
      state.box.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    }
  }

  function show(found) {
    state.items = found;
    state.list.textContent = "";
    if (!found.length) { close(); return; }
    found.forEach(function (person, i) {
      var option = document.createElement("div");
      option.id = state.list.id + "-" + i;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.textContent = person.text;
      option.addEventListener("mousedown", function (event) {
        event.preventDefault();
        choose(i);
      });
      state.list.appendChild(option);
    });
    state.list.hidden = false;
    mark(0);
  }

  function choose(index) {
    var person = state.items[index];
    var box = state.box;
    if (!person || !box) { return; }
    var caret = box.selectionStart;
    var inserted = "@" + person.text + " ";
    box.value = box.value.slice(0, state.start) + inserted + box.value.slice(caret);
    var place = state.start + inserted.length;
    box.setSelectionRange(place, place);
    var form = box.form;
    if (form && !form.querySelector("input[name=notify][value='" + person.value + "']")) {
      var hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = "notify";
      hidden.value = person.value;
      form.appendChild(hidden);
    }
    close();
    box.focus();
  }

  function ask(box) {
    var found = typed(box);
    if (!found) { close(); state.asked = null; return; }
    state.start = found.start;
    if (found.text === state.asked) { return; }
    state.asked = found.text;
    var url = box.getAttribute("data-mention-source");
    fetch(url + "?q=" + encodeURIComponent(found.text), {
      headers: { "Accept": "application/json" }, credentials: "same-origin"
    }).then(function (response) {
      return response.ok ? response.json() : [];
    }).then(function (people) {
      var now = typed(box);
      if (now && now.text === found.text) { show(people); }
    }).catch(close);
  }

  document.addEventListener("input", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches(BOX)) { return; }
    state.box = box;
    state.list = listOf(box);
    clearTimeout(state.timer);
    state.timer = setTimeout(function () { ask(box); }, 150);
  });

  document.addEventListener("keydown", function (event) {
    var box = event.target;
    if (box !== state.box || !state.list || state.list.hidden || !state.items.length) {
      return;
    }
    if (event.key === "ArrowDown") {
      event.preventDefault();
      mark((state.active + 1) % state.items.length);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      mark((state.active - 1 + state.items.length) % state.items.length);
    } else if (event.key === "Enter" || event.key === "Tab") {
      if (state.active >= 0) {
        event.preventDefault();
        choose(state.active);
      }
    } else if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  });

  document.addEventListener("focusout", function (event) {
    if (event.target === state.box) { setTimeout(close, 150); }
  });
})();
