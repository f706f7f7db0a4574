// The little the pages need from the browser itself: the circuit's start, logging in and out, the theme.
(function () {
  "use strict";

  // One WebSocket per page, no negotiation round trip: the circuit stays on the replica it reached.
  Blazor.start({
    circuit: {
      configureSignalR: function (builder) {
        builder.withUrl("_blazor", { skipNegotiation: true, transport: 1 });
      },
    },
  });

  function cookie(name) {
    var match = document.cookie.split("; ").find(function (c) { return c.indexOf(name + "=") === 0; });
    return match ? decodeURIComponent(match.substring(name.length + 1)) : null;
  }

  // Only a path on this site: a crafted link must not send a person elsewhere after they log in.
  function safeReturn(url) {
    return url && url.charAt(0) === "/" && url.charAt(1) !== "/" && url.charAt(1) !== "\\" ? url : "/";
  }

  async function logIn(token, returnUrl, error) {
    error.textContent = "";
    var response;
    try {
      response = await fetch("/api/session", {
        method: "POST",
        headers: { Authorization: "Bearer " + token.trim() },
        credentials: "same-origin",
      });
    } catch (e) {
      error.textContent = "The server did not answer: " + e.message;
      return;
    }
    if (response.ok) {
      location.replace(safeReturn(returnUrl));
      return;
    }
    var problem = await response.json().catch(function () { return {}; });
    error.textContent = response.status === 401
      ? "That token is not valid (unknown, revoked or expired)."
      : (problem.detail || problem.title || "Login failed (" + response.status + ").");
  }

  function setUpLogin() {
    var form = document.getElementById("login-form");
    if (!form) return;
    var input = form.querySelector("#token");
    var error = form.querySelector("#login-error");
    var returnUrl = form.dataset.returnUrl;
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      if (!input.value.trim()) {
        error.textContent = "Enter a token.";
        input.focus();
        return;
      }
      logIn(input.value, returnUrl, error);
    });
    // The first-start link (/login#token=...): the token rides in the fragment, which the browser never sends to a server.
    var hash = new URLSearchParams(location.hash.substring(1));
    if (hash.get("token")) {
      var token = hash.get("token");
      history.replaceState(null, "", location.pathname + location.search);
      logIn(token, returnUrl, error);
    } else {
      input.focus();
    }
  }

  document.addEventListener("click", async function (e) {
    if (e.target.closest("[data-logout]")) {
      await fetch("/api/session", {
        method: "DELETE",
        headers: { "X-CSRF-Token": cookie("XSRF-TOKEN") || "" },
        credentials: "same-origin",
      }).catch(function () {});
      location.replace("/login");
    } else if (e.target.closest("[data-theme-toggle]")) {
      var root = document.documentElement;
      var dark = root.dataset.theme ? root.dataset.theme === "dark" : matchMedia("(prefers-color-scheme: dark)").matches;
      root.dataset.theme = dark ? "light" : "dark";
      localStorage.setItem("baton.theme", root.dataset.theme);
    }
  });

  setUpLogin();
})();
