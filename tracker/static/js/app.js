// Tracker's only script: confirmation prompts for destructive buttons. Loaded from 'self'
// so it runs under the strict Content-Security-Policy; every page works without it.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
