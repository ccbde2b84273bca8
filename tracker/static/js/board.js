// The partner board: drag a card to another stage's column. The drop fills in the card's
// own move form (stage, and the reason an ending needs) and sends it, so the move goes
// through the same route as the keyboard and no-script path (the select and Move button
// on each card): access checked, history recorded, a stale card refused. htmx (app.js's
// data-in-place) swaps the board that comes back in place.
(function () {
  if (typeof window.Sortable !== "function") { return; }

  function putBack(event) {
    var before = event.from.children[event.oldIndex] || null;
    event.from.insertBefore(event.item, before);
  }

  function dropped(event) {
    if (event.from === event.to) { return; }
    var board = event.to.closest("[data-board]");
    var form = event.item.querySelector("form.board-move");
    if (!form) { putBack(event); return; }
    form.elements.stage.value = event.to.getAttribute("data-stage");
    if (event.to.hasAttribute("data-needs-reason") && !form.elements.reason.value.trim()) {
      var reason = window.prompt(board.getAttribute("data-reason-prompt") || "");
      if (!reason || !reason.trim()) {
        form.elements.stage.value = event.from.getAttribute("data-stage");
        putBack(event);
        return;
      }
      form.elements.reason.value = reason.trim();
    }
    event.item.setAttribute("aria-busy", "true");
    if (typeof form.requestSubmit === "function") { form.requestSubmit(); } else { form.submit(); }
  }

  function enhance(root) {
    if (!root.querySelectorAll) { return; }
    root.querySelectorAll("[data-board] .board-cards").forEach(function (list) {
      if (list.hasAttribute("data-sortable")) { return; }
      list.setAttribute("data-sortable", "");
      window.Sortable.create(list, {
        group: "partner-board", draggable: ".board-card[data-movable]",
        filter: "select, input, button, a", preventOnFilter: false,
        // Pointer events rather than the browser's own drag and drop: the same on a
        // touch screen, and no drag image to style.
        forceFallback: true, fallbackTolerance: 4,
        animation: 120, ghostClass: "board-ghost", onEnd: dropped
      });
    });
  }

  enhance(document);
  document.addEventListener("htmx:load", function (event) { enhance(event.detail.elt); });
})();
