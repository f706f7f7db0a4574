// Before the first paint: the theme a person chose on this browser, else the system's (no flash of the wrong one).
(function () {
  var chosen = localStorage.getItem("baton.theme");
  if (chosen === "light" || chosen === "dark") document.documentElement.dataset.theme = chosen;
})();
