// The search page counts at most 100 of a kind (1,000 of the chosen one) before it
// answers ("100+"); this asks for the exact counts right after, on a request of their
// own, and writes them in.
// Without it, "Count them all" reloads the page with them.
(function () {
  var results = document.querySelector("[data-counts-url]");
  if (!results) { return; }
  fetch(results.getAttribute("data-counts-url"), {
    credentials: "same-origin",
    headers: { "Accept": "application/json" }
  }).then(function (response) {
    return response.ok ? response.json() : null;
  }).then(function (counts) {
    if (!counts) { return; }
    results.querySelectorAll("[data-count]").forEach(function (span) {
      var key = span.getAttribute("data-count");
      var exact = key === "all" ? counts.all : counts.kinds[key];
      if (exact !== undefined) { span.textContent = exact; }
    });
    results.querySelectorAll("[data-count-link]").forEach(function (link) {
      link.remove();
    });
  }).catch(function () { /* the "100+" stays, and the link still counts */ });
})();
