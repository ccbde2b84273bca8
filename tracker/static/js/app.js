// Confirmation prompts for destructive buttons, and list filters that apply as they change.
// Loaded from 'self' so it runs under the strict Content-Security-Policy; every page works
// without it (the filter form keeps its button).
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// A list's filter form (form.filters) is sent as soon as a choice changes. Typed text is
// sent with Enter, as before: sending on each change would reload the page mid-word.
document.addEventListener("change", function (event) {
  var field = event.target;
  var form = field.form;
  if (!form || !form.classList.contains("filters") || form.hasAttribute("data-no-auto")) {
    return;
  }
  if (/^(text|search|number|date|datetime-local|email)$/.test(field.type || "")) { return; }
  if (field.closest && field.closest(".ts-wrapper") && field.tagName === "INPUT") { return; }
  if (typeof form.requestSubmit === "function") { form.requestSubmit(); } else { form.submit(); }
});

// Status moves in place (a complaint's status, a partner's stage, a follow-up done): a form
// marked data-in-place is posted by htmx, which follows the redirect and puts the page's
// new <main> where the old one was; the message that says what happened gets the focus.
// Without htmx (or script) the same form posts and the browser follows the redirect.
function trackerInPlace(root) {
  if (!window.htmx || !root.querySelectorAll) { return; }
  var forms = Array.prototype.slice.call(root.querySelectorAll("form[data-in-place]"));
  if (root.matches && root.matches("form[data-in-place]")) { forms.push(root); }
  forms.forEach(function (form) {
    if (form.hasAttribute("hx-post")) { return; }
    form.setAttribute("hx-post", form.getAttribute("action"));
    form.setAttribute("hx-target", "main");
    form.setAttribute("hx-select", "main");
    form.setAttribute("hx-swap", "outerHTML");
    window.htmx.process(form);
  });
}
document.addEventListener("htmx:load", function (event) { trackerInPlace(event.detail.elt); });
document.addEventListener("htmx:afterSettle", function () {
  var said = document.querySelector("main .flash");
  if (said) { said.setAttribute("tabindex", "-1"); said.focus(); }
});
// A refused move in place (403, 404, a stale form's 400) changed nothing: post it again
// the ordinary way, so the browser shows the page that says why.
document.addEventListener("htmx:responseError", function (event) {
  var form = event.detail.elt;
  if (form && form.matches && form.matches("form[data-in-place]")) {
    HTMLFormElement.prototype.submit.call(form);
  }
});
