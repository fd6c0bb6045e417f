// Shared by every dashboard page: calls to the REST API with the session's CSRF token, and the action buttons.
"use strict";
const Mesh = (() => {
  const csrf = () => document.querySelector('meta[name="csrf-token"]').content;

  /** Calls the API as this signed-in browser: the cookie goes by itself, the CSRF token in its header. */
  async function api(method, url, body) {
    const init = { method, credentials: "same-origin", headers: { "X-CSRF-Token": csrf() } };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const res = await fetch(url, init);
    let data = null;
    try { data = await res.json(); } catch (e) { data = null; }
    return { ok: res.ok, status: res.status, data };
  }

  /** The API's own message for a failed call. */
  function message(result) {
    const e = result.data && result.data.error;
    return e ? e.message : "the mesh answered " + result.status;
  }

  function say(text, ok) {
    const out = document.getElementById("action-result");
    if (!out) return;
    out.textContent = text;
    out.className = ok ? "ok" : "error";
  }

  // Buttons with data-post call the API; the page reflects the change through its live stream or refresh.
  document.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-post]");
    if (!button || button.disabled) return;
    if (button.dataset.confirm && !window.confirm(button.dataset.confirm)) return;
    button.disabled = true;
    const result = await Mesh.api("POST", button.dataset.post);
    if (result.ok) {
      say(button.textContent.trim() + ": done.", true);
      document.dispatchEvent(new CustomEvent("mesh:changed", { detail: result.data }));
    } else {
      say(button.textContent.trim() + " failed: " + message(result), false);
      button.disabled = false;
    }
  });

  return { api, message, say };
})();
