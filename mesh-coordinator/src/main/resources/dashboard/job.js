// A job's page: follows the job's own event stream for status, progress and output, without reloading.
"use strict";
(() => {
  const id = document.getElementById("job").dataset.jobId;
  const terminal = () => document.getElementById("job").dataset.terminal === "true";
  const output = document.getElementById("output");
  const outputState = document.getElementById("output-state");
  const decoder = new TextDecoder();

  function setStatus(status) {
    const holder = document.getElementById("job-status");
    const badge = holder.querySelector(".badge");
    badge.textContent = status;
    badge.className = "badge s-" + status.toLowerCase();
  }

  function refreshDetails() {
    // The job ended: redraw everything but the output from the server (result, attempts, buttons), in place.
    htmx.ajax("GET", "/ui/jobs/" + encodeURIComponent(id), { target: "#job", select: "#job", swap: "outerHTML" });
  }

  function follow() {
    let source = new EventSource("/v1/jobs/" + encodeURIComponent(id) + "/events");
    outputState.textContent = "Following live…";
    source.addEventListener("status", (e) => setStatus(JSON.parse(e.data).status));
    source.addEventListener("progress", (e) => {
      const p = JSON.parse(e.data).progress;
      if (p !== null && p !== undefined) document.getElementById("job-progress").value = p;
    });
    source.addEventListener("chunk", (e) => {
      const event = JSON.parse(e.data);
      if (event.data) {
        const bytes = Uint8Array.from(atob(event.data), (c) => c.charCodeAt(0));
        output.textContent += decoder.decode(bytes, { stream: true });
        output.scrollTop = output.scrollHeight;
      }
      if (event.log) output.textContent += event.log + "\n";
    });
    source.addEventListener("end", (e) => {
      source.close();
      const event = JSON.parse(e.data);
      setStatus(event.status);
      outputState.textContent = "Ended: " + event.status + ".";
      document.body.dataset.ended = event.status;
      if (!terminal()) refreshDetails();
    });
    source.onerror = () => { outputState.textContent = "Stream interrupted; reconnecting…"; };
  }

  // A retry answers the job to follow (itself again, or a new one): open its page to follow it from the start.
  document.addEventListener("mesh:changed", (e) => {
    const answered = e.detail && e.detail.id;
    if (terminal() && answered) window.location.assign("/ui/jobs/" + encodeURIComponent(answered));
  });
  document.addEventListener("DOMContentLoaded", follow);
})();
