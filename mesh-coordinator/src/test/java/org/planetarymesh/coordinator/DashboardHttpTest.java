package org.planetarymesh.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard over real HTTP: sign-in keeps the token in an HttpOnly, SameSite=Strict cookie; pages need it; the REST
 * API accepts it only with the page's CSRF token and from its own origin; roles hold; user data is escaped; the live
 * feed pushes a summary a second; and {@code ?dry_run=true} checks a spec without storing it.
 */
class DashboardHttpTest {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @TempDir
    Path dir;

    @Test
    void pagesNeedASignInAndTheCookieIsHttpOnlyAndStrict() throws Exception {
        try (Coordinator c = TestCoordinator.start(dir)) {
            for (String page : List.of("/", "/ui/jobs", "/ui/nodes", "/ui/schedules", "/ui/routing", "/ui/new")) {
                HttpResponse<String> anonymous = get(c, page, null);
                assertThat(anonymous.statusCode()).as(page).isEqualTo(303);
                assertThat(anonymous.headers().firstValue("Location")).hasValue("/ui/login");
            }
            assertThat(get(c, "/ui/live", null).statusCode()).isEqualTo(401);
            assertThat(get(c, "/ui/login", null).statusCode()).isEqualTo(200);

            HttpResponse<String> wrong = login(c, "mesh_not-a-token");
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.body()).contains("not valid");
            assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();

            HttpResponse<String> ok = login(c, c.adminToken());
            assertThat(ok.statusCode()).isEqualTo(303);
            assertThat(ok.headers().firstValue("Location")).hasValue("/");
            String setCookie = ok.headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(setCookie)
                    .startsWith("mesh_session=" + c.adminToken() + ";")
                    .contains("HttpOnly")
                    .contains("SameSite=Strict")
                    .contains("Path=/");

            String cookie = "mesh_session=" + c.adminToken();
            for (String page : List.of("/", "/ui/jobs", "/ui/nodes", "/ui/schedules", "/ui/routing", "/ui/new")) {
                HttpResponse<String> html = get(c, page, cookie);
                assertThat(html.statusCode()).as(page).isEqualTo(200);
                assertThat(html.body()).as(page).contains("<meta name=\"csrf-token\" content=\"");
                assertThat(html.headers().firstValue("Content-Security-Policy").orElse(""))
                        .contains("frame-ancestors 'none'");
                assertThat(html.body()).doesNotContain(c.adminToken()); // the token never reaches a page or URL
            }
            assertThat(get(c, "/ui/assets/htmx.min.js", null).statusCode()).isEqualTo(200);
            assertThat(get(c, "/ui/assets/uPlot.iife.min.js", null).statusCode())
                    .isEqualTo(200);
            assertThat(get(c, "/ui/assets/../../etc/passwd", null).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void theApiTakesTheCookieOnlyWithTheCsrfTokenAndFromItsOwnOrigin() throws Exception {
        try (Coordinator c = TestCoordinator.start(dir)) {
            String cookie = "mesh_session=" + c.adminToken();
            String csrf = csrf(get(c, "/", cookie).body());
            String spec = "{\"type\":\"echo\"}";

            assertThat(post(c, "/v1/jobs", spec, cookie, null, null).statusCode())
                    .isEqualTo(403);
            assertThat(post(c, "/v1/jobs", spec, cookie, "forged", null).statusCode())
                    .isEqualTo(403);
            assertThat(post(c, "/v1/jobs", spec, cookie, csrf, "http://evil.example")
                            .statusCode())
                    .isEqualTo(403);
            assertThat(post(c, "/v1/jobs", spec, null, csrf, null).statusCode()).isEqualTo(401);
            HttpResponse<String> created = post(c, "/v1/jobs", spec, cookie, csrf, c.url());
            assertThat(created.statusCode()).isEqualTo(201);
            assertThat(TestCoordinator.get(c, "/v1/stats").body().path("total").asLong())
                    .isEqualTo(1);
            assertThat(get(c, "/v1/jobs", cookie).statusCode()).isEqualTo(200); // reads need no CSRF token

            HttpResponse<String> refused = post(c, "/ui/logout", "csrf=wrong", cookie, null, null);
            assertThat(refused.statusCode()).isEqualTo(403);
            HttpResponse<String> out = post(
                    c, "/ui/logout", "csrf=" + URLEncoder.encode(csrf, StandardCharsets.UTF_8), cookie, null, null);
            assertThat(out.statusCode()).isEqualTo(303);
            assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
        }
    }

    @Test
    void aReadTokenSeesAJobButCannotCancelIt() throws Exception {
        try (Coordinator c = TestCoordinator.start(dir)) {
            String id = TestCoordinator.submit(c, "{\"type\":\"echo\"}");
            String readToken = TestCoordinator.post(c, "/v1/tokens", "{\"role\":\"read\",\"name\":\"viewer\"}")
                    .body()
                    .path("token")
                    .asText();
            assertThat(login(c, readToken).statusCode()).isEqualTo(303);
            String cookie = "mesh_session=" + readToken;
            HttpResponse<String> page = get(c, "/ui/jobs/" + id, cookie);
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).containsPattern("id=\"cancel\"[^>]* disabled");
            HttpResponse<String> cancel = post(c, "/v1/jobs/" + id + "/cancel", "", cookie, csrf(page.body()), null);
            assertThat(cancel.statusCode()).isEqualTo(403);
            assertThat(TestCoordinator.status(c, id)).isEqualTo("QUEUED");
        }
    }

    @Test
    void theSchedulesPageShowsWhatTheViewerMaySeeAndItsButtonsPause() throws Exception {
        try (Coordinator c = TestCoordinator.start(dir)) {
            String adminOwned = TestCoordinator.post(
                            c, "/v1/schedules", "{\"cron\":\"*/10 * * * *\",\"job\":{\"type\":\"echo\"}}")
                    .body()
                    .path("id")
                    .asText();
            String submitToken = token(c, "submit");
            HttpResponse<String> own = post(
                    c,
                    "/v1/schedules",
                    "{\"cron\":\"@hourly\",\"zone\":\"Europe/Paris\",\"job\":{\"type\":\"sleep\"}}",
                    null,
                    null,
                    null,
                    submitToken);
            assertThat(own.statusCode()).as(own.body()).isEqualTo(201);
            String submitOwned = com.fasterxml.jackson.databind.json.JsonMapper.builder()
                    .build()
                    .readTree(own.body())
                    .path("id")
                    .asText();

            String admin = "mesh_session=" + c.adminToken();
            String adminPage = get(c, "/ui/schedules", admin).body();
            assertThat(adminPage).contains("data-schedule=\"" + adminOwned).contains("data-schedule=\"" + submitOwned);
            assertThat(adminPage).contains("Europe/Paris").contains(">ACTIVE<");

            String submitPage =
                    get(c, "/ui/schedules", "mesh_session=" + submitToken).body();
            assertThat(submitPage).contains("data-schedule=\"" + submitOwned).doesNotContain(adminOwned);

            String readPage =
                    get(c, "/ui/schedules", "mesh_session=" + token(c, "read")).body();
            assertThat(readPage)
                    .contains(adminOwned)
                    .containsPattern("data-post=\"/v1/schedules/" + adminOwned + "/pause\"[^>]* disabled");

            HttpResponse<String> paused =
                    post(c, "/v1/schedules/" + adminOwned + "/pause", "", admin, csrf(adminPage), c.url());
            assertThat(paused.statusCode()).as(paused.body()).isEqualTo(200);
            assertThat(get(c, "/ui/schedules", admin).body())
                    .containsPattern("data-schedule=\"" + adminOwned + "\".*?>PAUSED<.*?/resume\"");
        }
    }

    private static String token(Coordinator c, String role) throws Exception {
        return TestCoordinator.post(c, "/v1/tokens", "{\"role\":\"" + role + "\",\"name\":\"" + role + "-viewer\"}")
                .body()
                .path("token")
                .asText();
    }

    @Test
    void userDataIsEscapedOnThePages() throws Exception {
        try (Coordinator c = TestCoordinator.start(dir)) {
            String id = TestCoordinator.submit(
                    c,
                    "{\"type\":\"echo\",\"payload\":{\"x\":\"<img src=x onerror=alert(1)>\"},"
                            + "\"idempotency_key\":\"k'\\\"><script>alert(2)</script>\"}");
            String cookie = "mesh_session=" + c.adminToken();
            String html = get(c, "/ui/jobs/" + id, cookie).body();
            assertThat(html).contains("&lt;img src=x onerror=alert(1)&gt;");
            assertThat(html).doesNotContain("<img src=x").doesNotContain("<script>alert");
            String list = get(c, "/ui/jobs?type=%3Cb%3Ebold", cookie).body();
            assertThat(list).contains("value=\"&lt;b&gt;bold\"").doesNotContain("<b>bold");
        }
    }

    @Test
    void dryRunChecksASpecWithTheApisOwnErrorsAndStoresNothing() throws Exception {
        try (Coordinator c = TestCoordinator.start(dir)) {
            var bad = TestCoordinator.post(c, "/v1/jobs?dry_run=true", "{\"type\":\"echo\",\"priority\":\"high\"}");
            assertThat(bad.status()).isEqualTo(422);
            assertThat(bad.body()
                            .path("error")
                            .path("details")
                            .get(0)
                            .path("field")
                            .asText())
                    .isEqualTo("priority");
            var good = TestCoordinator.post(c, "/v1/jobs?dry_run=true", "{\"type\":\"echo\",\"scope\":\"LOCAL\"}");
            assertThat(good.status()).isEqualTo(200);
            assertThat(good.body().path("valid").asBoolean()).isTrue();
            assertThat(good.body().path("spec").path("scope").asText()).isEqualTo("LOCAL");
            assertThat(good.body().path("warnings").get(0).asText()).contains("no node is connected");
            assertThat(TestCoordinator.post(c, "/v1/jobs?dry_run=maybe", "{\"type\":\"echo\"}")
                            .status())
                    .isEqualTo(400);
            assertThat(TestCoordinator.get(c, "/v1/stats").body().path("total").asLong())
                    .isZero();
        }
    }

    @Test
    void theLiveFeedPushesHistoryThenOneSummaryASecondWithJobsEndedCounted() throws Exception {
        try (Coordinator c = TestCoordinator.start(dir);
                ProtocolAgent agent = ProtocolAgent.connect(c, "node-a", List.of("echo"), 4, ProtocolAgent::echo)) {
            for (int i = 0; i < 5; i++) {
                TestCoordinator.submit(c, "{\"type\":\"echo\"}");
            }
            await().atMost(ProtocolAgent.shortly())
                    .until(() -> TestCoordinator.get(c, "/v1/stats")
                                    .body()
                                    .path("jobs")
                                    .path("COMPLETED")
                                    .asLong()
                            == 5);
            List<String> lines = Collections.synchronizedList(new ArrayList<>());
            HttpRequest request = HttpRequest.newBuilder(URI.create(c.url() + "/ui/live"))
                    .header("Cookie", "mesh_session=" + c.adminToken())
                    .timeout(Duration.ofSeconds(10))
                    .build();
            HttpResponse<java.io.InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            long started = System.nanoTime();
            try (BufferedReader reader =
                    new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                int summaries = 0;
                for (String line = reader.readLine(); line != null && summaries < 3; line = reader.readLine()) {
                    lines.add(line);
                    if (line.equals("event: summary")) {
                        summaries++;
                    }
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            assertThat(lines).contains("event: history");
            assertThat(lines.stream().filter(l -> l.startsWith("data: {\"counts\"")))
                    .last()
                    .asString()
                    .contains("\"COMPLETED\":5")
                    .contains("\"total\":5");
            // three summaries a second apart: at least ~1 s between the first and the third, paced by the timer
            assertThat(seconds).isBetween(1.0, 6.0);
            String overview = get(c, "/", "mesh_session=" + c.adminToken()).body();
            assertThat(overview).containsPattern("<th scope=\"row\">echo</th><td class=\"num\">5</td>");
            String routing =
                    get(c, "/ui/routing", "mesh_session=" + c.adminToken()).body();
            assertThat(routing).contains("least-loaded").contains("node-a");
        }
    }

    private static HttpResponse<String> login(Coordinator c, String token) throws Exception {
        return post(c, "/ui/login", "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8), null, null, null);
    }

    private static String csrf(String html) {
        Matcher m = Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]+)\"")
                .matcher(html);
        assertThat(m.find()).as("the page carries a CSRF token").isTrue();
        return m.group(1);
    }

    private static HttpResponse<String> get(Coordinator c, String path, String cookie) throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(c.url() + path)).timeout(Duration.ofSeconds(10));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(
            Coordinator c, String path, String body, String cookie, String csrf, String origin) throws Exception {
        return post(c, path, body, cookie, csrf, origin, null);
    }

    private static HttpResponse<String> post(
            Coordinator c, String path, String body, String cookie, String csrf, String origin, String bearer)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(c.url() + path))
                .timeout(Duration.ofSeconds(10))
                .header(
                        "Content-Type",
                        path.startsWith("/ui/") ? "application/x-www-form-urlencoded" : "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        if (csrf != null) {
            b.header("X-CSRF-Token", csrf);
        }
        if (origin != null) {
            b.header("Origin", origin);
        }
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
