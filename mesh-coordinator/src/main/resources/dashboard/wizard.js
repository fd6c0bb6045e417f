// The creation wizard: steps, the spec built from the fields, and validation by the API itself (?dry_run=true).
"use strict";
(() => {
  const form = document.getElementById("wizard");
  const status = document.getElementById("wizard-status");
  let step = 1;
  let timer = null;
  let asked = 0;

  const value = (name) => {
    const el = form.elements[name];
    return el ? String(el.value).trim() : "";
  };
  const list = (text) => text.split(",").map((s) => s.trim()).filter((s) => s.length > 0);

  /** The job spec the fields describe; a field left empty is left out, so the API's defaults apply. */
  function spec() {
    const s = { type: value("type") };
    const payload = value("payload");
    if (payload) {
      try { s.payload = JSON.parse(payload); } catch (e) { s.payload = payload; /* the API names the problem */ }
    }
    s.scope = form.querySelector('input[name="scope"]:checked').value;
    const req = {};
    if (value("capabilities")) req.capabilities = list(value("capabilities"));
    if (value("labels")) {
      req.labels = {};
      list(value("labels")).forEach((pair) => {
        const at = pair.indexOf("=");
        req.labels[at < 0 ? pair : pair.slice(0, at).trim()] = at < 0 ? "" : pair.slice(at + 1).trim();
      });
    }
    if (value("model")) req.model = value("model");
    if (Object.keys(req).length) s.requirements = req;
    if (value("deadline")) {
      const d = value("deadline");
      s.deadline = (d.length === 16 ? d + ":00" : d) + "Z";
    }
    const number = (name) => (value(name) === "" ? undefined : Number(value(name)));
    if (number("budget") !== undefined) s.budget = number("budget");
    if (number("timeout_ms") !== undefined) s.timeout_ms = number("timeout_ms");
    if (number("priority") !== undefined) s.priority = number("priority");
    if (value("policy")) s.placement = { policy: value("policy") };
    if (number("max_attempts") !== undefined) s.retry = { max_attempts: number("max_attempts") };
    if (value("idempotency_key")) s.idempotency_key = value("idempotency_key");
    return s;
  }

  function clearErrors() {
    form.querySelectorAll(".field-error").forEach((e) => e.remove());
    form.querySelectorAll("[aria-invalid]").forEach((e) => e.removeAttribute("aria-invalid"));
  }

  /** Puts each of the API's problems next to the field it names (the longest data-field its path starts with). */
  function showErrors(details, fallback) {
    clearErrors();
    const fields = [...form.querySelectorAll("[data-field]")];
    const problems = details && details.length ? details : [{ field: "", message: fallback }];
    let firstStep = null;
    problems.forEach((p) => {
      const path = p.field || "";
      const match = fields
        .filter((f) => path === f.dataset.field || path.startsWith(f.dataset.field + ".") || path.startsWith(f.dataset.field + "["))
        .sort((a, b) => b.dataset.field.length - a.dataset.field.length)[0];
      const note = document.createElement("p");
      note.className = "field-error";
      note.textContent = (path ? path + " " : "") + p.message;
      if (match) {
        match.setAttribute("aria-invalid", "true");
        note.id = (match.id || "scope") + "-error";
        match.insertAdjacentElement("afterend", note);
        const s = Number(match.closest("fieldset").dataset.step);
        firstStep = firstStep === null ? s : Math.min(firstStep, s);
      } else {
        status.insertAdjacentElement("beforebegin", note);
      }
    });
    return firstStep;
  }

  async function validate() {
    const mine = ++asked;
    const s = spec();
    document.getElementById("spec-preview").textContent = JSON.stringify(s, null, 2);
    const result = await Mesh.api("POST", "/v1/jobs?dry_run=true", s);
    if (mine !== asked) return null; // a later keystroke asked again
    const warnings = document.getElementById("warnings");
    warnings.replaceChildren();
    if (result.ok) {
      clearErrors();
      status.textContent = "✓ The mesh accepts this job.";
      status.className = "validity ok";
      (result.data.warnings || []).forEach((w) => {
        const li = document.createElement("li");
        li.textContent = w;
        warnings.appendChild(li);
      });
      form.dataset.valid = "true";
      return result;
    }
    const error = result.data && result.data.error;
    const firstStep = showErrors(error && error.details, Mesh.message(result));
    status.textContent = "✗ " + Mesh.message(result);
    status.className = "validity error";
    form.dataset.valid = "false";
    result.firstStep = firstStep;
    return result;
  }

  function show(n) {
    step = Math.max(1, Math.min(5, n));
    form.querySelectorAll("fieldset.step").forEach((f) => { f.hidden = Number(f.dataset.step) !== step; });
    form.querySelectorAll("[data-step-tab]").forEach((t) => {
      if (Number(t.dataset.stepTab) === step) t.setAttribute("aria-current", "step");
      else t.removeAttribute("aria-current");
    });
    const first = form.querySelector('fieldset[data-step="' + step + '"] input, fieldset[data-step="' + step + '"] select, fieldset[data-step="' + step + '"] textarea, fieldset[data-step="' + step + '"] button[type=submit]');
    if (first) first.focus();
    if (step === 5) validate();
  }

  form.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(validate, 250);
  });
  form.addEventListener("change", () => { clearTimeout(timer); validate(); });
  form.addEventListener("click", (e) => {
    if (e.target.matches("[data-next]")) show(step + 1);
    if (e.target.matches("[data-back]")) show(step - 1);
  });
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const check = await validate();
    if (!check || !check.ok) {
      if (check && check.firstStep) show(check.firstStep);
      return;
    }
    const button = document.getElementById("submit-job");
    button.disabled = true;
    const result = await Mesh.api("POST", "/v1/jobs", spec());
    if (result.ok) {
      window.location.assign("/ui/jobs/" + encodeURIComponent(result.data.id));
    } else {
      button.disabled = false;
      showErrors(result.data && result.data.error && result.data.error.details, Mesh.message(result));
      status.textContent = "✗ " + Mesh.message(result);
      status.className = "validity error";
    }
  });
  form.querySelector('fieldset[data-step="1"] [data-back]').style.visibility = "hidden"; // nothing before step 1
  document.addEventListener("DOMContentLoaded", validate);
})();
