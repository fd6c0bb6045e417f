package org.planetarymesh.coordinator.dashboard;

import static org.planetarymesh.coordinator.dashboard.Html.esc;

/** {@code GET /ui/login}: the sign-in form, which posts a mesh token (never in a URL). */
final class LoginPage {

    private LoginPage() {}

    static String render(String problem) {
        StringBuilder main = new StringBuilder(2048);
        main.append("<div class=\"login\"><h1>Sign in</h1>")
                .append("<p>Paste a mesh token. The admin token is in <code>&lt;data-dir&gt;/admin.token</code>;")
                .append(" an admin makes others with <code>mesh token create --role read|submit|admin</code>.</p>");
        if (problem != null) {
            main.append("<p class=\"error\" role=\"alert\" id=\"login-error\">")
                    .append(esc(problem))
                    .append("</p>");
        }
        main.append("<form method=\"post\" action=\"/ui/login\"><label for=\"token\">Mesh token</label>")
                .append("<input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"current-password\"")
                .append(" required autofocus spellcheck=\"false\"")
                .append(problem != null ? " aria-invalid=\"true\" aria-describedby=\"login-error\"" : "")
                .append("><button type=\"submit\" class=\"primary\">Sign in</button></form>")
                .append(
                        "<p class=\"muted small\">The token is kept in an HttpOnly, SameSite=Strict cookie for 8 hours.")
                .append("</p></div>");
        return Layout.page("Sign in", "", null, main.toString());
    }
}
