// The top bar's Menu on a phone is a <details>: it opens and closes without this script.
// With it, Escape closes the menu (focus back on Menu) and a tap outside closes it, as
// a menu is expected to behave.
(function () {
  var menu = document.querySelector("details.topbar-menu");
  if (!menu) { return; }
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && menu.open) {
      menu.open = false;
      menu.querySelector("summary").focus();
    }
  });
  document.addEventListener("click", function (event) {
    if (menu.open && !menu.contains(event.target)) { menu.open = false; }
  });
}());
