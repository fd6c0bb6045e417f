package org.planetarymesh.coordinator.dashboard;

import static org.planetarymesh.coordinator.dashboard.Html.esc;

import java.util.Collection;
import java.util.TreeSet;
import org.planetarymesh.coordinator.auth.Role;
import org.planetarymesh.core.job.PlacementPolicy;
import org.planetarymesh.core.node.NodeInfo;

/**
 * {@code GET /ui/new}: the job creation wizard of seed 003, in four steps (type, execution preference, requirements
 * with deadline and budget, advanced) and a review. The page's script builds the spec as the user types and sends it
 * to {@code POST /v1/jobs?dry_run=true}, so every message shown is the API's own, next to the field it names; the last
 * step submits it to {@code POST /v1/jobs} and opens the new job's page.
 */
final class WizardPage {

    private WizardPage() {}

    static String render(Collection<NodeInfo> nodes, Layout.Viewer viewer) {
        TreeSet<String> types = new TreeSet<>();
        nodes.forEach(n -> {
            if (n.executors() != null) {
                types.addAll(n.executors());
            }
        });
        if (types.isEmpty()) {
            types.add("echo");
        }
        StringBuilder main = new StringBuilder(8192);
        main.append("<h1>New job</h1>");
        main.append("<form id=\"wizard\" novalidate aria-describedby=\"wizard-status\">");
        main.append("<ol class=\"steps\" aria-label=\"Steps\">")
                .append("<li data-step-tab=\"1\" aria-current=\"step\">Type</li>")
                .append("<li data-step-tab=\"2\">Execution</li><li data-step-tab=\"3\">Requirements</li>")
                .append("<li data-step-tab=\"4\">Advanced</li><li data-step-tab=\"5\">Review</li></ol>");

        step(main, 1, "Job type");
        main.append("<label for=\"f-type\">Type</label><input id=\"f-type\" name=\"type\" list=\"types\" required")
                .append(" data-field=\"type\" autocomplete=\"off\" value=\"")
                .append(esc(types.first()))
                .append("\"><datalist id=\"types\">");
        types.forEach(t -> main.append("<option value=\"").append(esc(t)).append("\">"));
        main.append("</datalist><p class=\"hint\">What runs it: an executor a node offers (")
                .append(esc(String.join(", ", types)))
                .append(").</p><label for=\"f-payload\">Payload (JSON)</label><textarea id=\"f-payload\"")
                .append(" name=\"payload\" rows=\"5\" data-field=\"payload\" spellcheck=\"false\">{}</textarea>")
                .append("<p class=\"hint\">For example <code>{\"ms\": 2000}</code> for sleep, <code>{\"text\": \"hi\"}")
                .append("</code> for echo.</p>");
        endStep(main, false);

        step(main, 2, "Execution preference");
        main.append("<div role=\"radiogroup\" aria-label=\"Where it may run\" data-field=\"scope\">");
        radio(main, "LOCAL", "Local only", "on the coordinator's own agents", false);
        radio(main, "NETWORK", "Network only", "on other nodes of the mesh", false);
        radio(main, "HYBRID", "Best available", "wherever a node fits first (default)", true);
        main.append("</div>");
        endStep(main, false);

        step(main, 3, "Requirements");
        field(
                main,
                "f-caps",
                "capabilities",
                "requirements.capabilities",
                "Capabilities",
                "text",
                "comma-separated, e.g. gpu, cuda");
        field(
                main,
                "f-deadline",
                "deadline",
                "deadline",
                "Deadline (UTC)",
                "datetime-local",
                "the job fails if it has not ended by then");
        field(main, "f-budget", "budget", "budget", "Budget (credits)", "number", "the most it may cost");
        field(main, "f-timeout", "timeout_ms", "timeout_ms", "Timeout per attempt (ms)", "number", "e.g. 30000");
        endStep(main, false);

        step(main, 4, "Advanced");
        field(main, "f-priority", "priority", "priority", "Priority", "number", "higher runs first; default 0");
        main.append("<label for=\"f-policy\">Routing policy</label><select id=\"f-policy\" name=\"policy\"")
                .append(" data-field=\"placement\"><option value=\"\">default (least-loaded)</option>");
        for (PlacementPolicy policy : PlacementPolicy.values()) {
            main.append("<option>").append(esc(policy.wireName())).append("</option>");
        }
        main.append("</select>");
        field(
                main,
                "f-attempts",
                "max_attempts",
                "retry",
                "Attempts before it fails (fallback)",
                "number",
                "default 3");
        field(main, "f-labels", "labels", "requirements.labels", "Node labels", "text", "e.g. zone=eu, tier=secure");
        field(main, "f-model", "model", "requirements.model", "Model", "text", "a model a node has loaded");
        field(
                main,
                "f-key",
                "idempotency_key",
                "idempotency_key",
                "Idempotency key",
                "text",
                "resubmitting with it answers the same job");
        endStep(main, false);

        step(main, 5, "Review");
        main.append("<p>The spec that will be submitted:</p><pre id=\"spec-preview\" class=\"json\"></pre>")
                .append("<ul id=\"warnings\" class=\"warnings\" aria-live=\"polite\"></ul>");
        if (!viewer.may(Role.SUBMIT)) {
            main.append("<p class=\"muted\">Your token (role ")
                    .append(esc(viewer.principal().role().id()))
                    .append(") cannot submit jobs; sign in with a submit or admin token.</p>");
        }
        endStep(main, true, viewer.may(Role.SUBMIT));
        main.append("<p id=\"wizard-status\" class=\"validity\" role=\"status\" aria-live=\"polite\"></p></form>");
        return Layout.page("New job", "new", viewer, main.toString(), "wizard.js");
    }

    private static void step(StringBuilder out, int n, String title) {
        out.append("<fieldset class=\"step\" data-step=\"")
                .append(n)
                .append("\"")
                .append(n == 1 ? "" : " hidden")
                .append("><legend>")
                .append(n)
                .append(". ")
                .append(esc(title))
                .append("</legend>");
    }

    private static void endStep(StringBuilder out, boolean last) {
        endStep(out, last, true);
    }

    private static void endStep(StringBuilder out, boolean last, boolean maySubmit) {
        out.append("<div class=\"step-nav\"><button type=\"button\" data-back>Back</button>");
        if (last) {
            out.append("<button type=\"submit\" id=\"submit-job\" class=\"primary\"")
                    .append(maySubmit ? "" : " disabled")
                    .append(">Submit job</button>");
        } else {
            out.append("<button type=\"button\" class=\"primary\" data-next>Next</button>");
        }
        out.append("</div></fieldset>");
    }

    private static void radio(StringBuilder out, String value, String label, String hint, boolean checked) {
        out.append("<label class=\"choice\"><input type=\"radio\" name=\"scope\" value=\"")
                .append(value)
                .append("\"")
                .append(checked ? " checked" : "")
                .append("> <strong>")
                .append(esc(label))
                .append("</strong> <span class=\"muted\">")
                .append(esc(hint))
                .append("</span></label>");
    }

    private static void field(
            StringBuilder out, String id, String name, String apiField, String label, String type, String hint) {
        out.append("<label for=\"")
                .append(id)
                .append("\">")
                .append(esc(label))
                .append("</label><input id=\"")
                .append(id)
                .append("\" name=\"")
                .append(name)
                .append("\" type=\"")
                .append(type)
                .append("\" data-field=\"")
                .append(esc(apiField))
                .append("\" aria-describedby=\"")
                .append(id)
                .append("-hint\"")
                .append(type.equals("number") ? " inputmode=\"numeric\"" : "")
                .append(type.equals("datetime-local") ? " step=\"1\"" : "")
                .append("><p class=\"hint\" id=\"")
                .append(id)
                .append("-hint\">")
                .append(esc(hint))
                .append("</p>");
    }
}
