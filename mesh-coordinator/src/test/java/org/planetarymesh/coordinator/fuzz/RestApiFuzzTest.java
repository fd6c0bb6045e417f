package org.planetarymesh.coordinator.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.coordinator.Coordinator;
import org.planetarymesh.coordinator.CoordinatorConfig;
import org.planetarymesh.core.job.JobIds;
import org.planetarymesh.core.json.Json;

/**
 * Thousands of hostile requests over real HTTP to every route of an in-process coordinator: random methods, paths,
 * query parameters, headers, content types and bodies (mutated specs, random JSON, invalid UTF-8, bodies shorter than
 * their Content-Length). Never a 5xx; every error body is {@code {"error": {"code", "message"}}}; the server keeps
 * serving valid requests; and the number of jobs grows by exactly what was answered 201, never by rejected input.
 */
class RestApiFuzzTest {

    static final int REQUESTS = 3_000;
    static final Duration BUDGET = Duration.ofSeconds(45);
    static final long MAX_BODY = 64 * 1024;

    @TempDir
    static Path dir;

    static Coordinator coordinator;
    static List<String> tokens = new ArrayList<>();
    static String existingJob;
    static boolean existingDeleted;

    @BeforeAll
    static void start() throws Exception {
        coordinator = Coordinator.start(CoordinatorConfig.defaults(dir)
                .withPort(0)
                .withMaxBodyBytes(MAX_BODY)
                .withMaxBatchJobs(20)
                .withMaxPayloadBytes(8 * 1024));
        tokens.add(coordinator.adminToken());
        for (String role : List.of("read", "submit", "agent", "admin")) {
            RawHttp.Response created = call("POST", "/v1/tokens", "{\"role\":\"" + role + "\",\"name\":\"fz\"}");
            assertThat(created.status()).as(created.text()).isEqualTo(201);
            tokens.add(Json.mapper().readTree(created.body()).get("token").asText());
        }
        // A job no agent can run, so it stays QUEUED for the whole test.
        RawHttp.Response job = call(
                "POST", "/v1/jobs", "{\"type\":\"echo\",\"requirements\":{\"capabilities\":[\"nobody-has-this\"]}}");
        assertThat(job.status()).isEqualTo(201);
        existingJob = Json.mapper().readTree(job.body()).get("id").asText();
    }

    @AfterAll
    static void stop() {
        coordinator.close();
    }

    static RawHttp.Response call(String method, String path, String body) throws Exception {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        String head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                + coordinator.adminToken() + "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length;
        return RawHttp.send(coordinator.port(), head, bytes);
    }

    /** Counts every job by paging {@code GET /v1/jobs}. */
    static int countJobs() throws Exception {
        int count = 0;
        String cursor = null;
        for (int page = 0; page < 1_000; page++) {
            RawHttp.Response r = call(
                    "GET",
                    "/v1/jobs?limit=1000"
                            + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)),
                    null);
            assertThat(r.status()).isEqualTo(200);
            JsonNode body = Json.mapper().readTree(r.body());
            count += body.get("jobs").size();
            if (!body.hasNonNull("next_cursor")) {
                return count;
            }
            cursor = body.get("next_cursor").asText();
        }
        throw new AssertionError("more than 1000 pages of jobs");
    }

    @Test
    void hostileRequestsNeverGetA5xxAndNeverChangeTheJobCount() throws Exception {
        long seed = Seeds.seed("REST API");
        Gen gen = Seeds.gen(seed);
        int expected = countJobs();
        long deadline = System.nanoTime() + BUDGET.toNanos();
        int sent = 0;
        int created = 0;
        int closedWithoutAnswer = 0;
        int[] byClass = new int[6];
        for (int i = 0; i < REQUESTS && System.nanoTime() < deadline; i++) {
            Request request = request(gen);
            sent++;
            RawHttp.Response response;
            try {
                response = RawHttp.send(coordinator.port(), request.head, request.body);
            } catch (Exception e) {
                throw failure(seed, i, request, "no answer: " + e);
            }
            if (response == null) {
                if (!request.brokenFraming) {
                    throw failure(seed, i, request, "the server closed the connection without answering");
                }
                closedWithoutAnswer++;
                continue;
            }
            byClass[response.status() / 100]++;
            if (response.status() >= 500) {
                throw failure(seed, i, request, "answered " + response.status() + ": " + response.text());
            }
            // A request that is not even HTTP (raw bytes in its request line, a body shorter than declared) may be
            // refused by Jetty's parser with an empty 400 before any handler runs; any body it gets must be JSON.
            boolean bareRefusal = request.brokenFraming && response.body().length == 0;
            if (response.status() >= 400 && !request.method.equals("HEAD") && !bareRefusal) {
                String problem = errorBodyProblem(response);
                if (problem != null) {
                    throw failure(
                            seed,
                            i,
                            request,
                            "error body " + problem + ": " + response.status() + " " + response.headers() + " "
                                    + Gen.show(response.text()));
                }
            }
            if (response.status() == 204 && request.method.equals("DELETE") && request.head.contains(" /v1/jobs/")) {
                expected--; // a finished job (the fuzz cancels some) deleted on purpose: accepted input, not damage
                existingDeleted |= request.head.contains(existingJob);
            }
            if (response.status() == 201) {
                JsonNode body = Json.mapper().readTree(response.body());
                if (body.has("ids")) {
                    expected += body.get("ids").size();
                    created += body.get("ids").size();
                } else if (body.has("spec") && body.has("id")) {
                    expected++;
                    created++;
                }
            }
            if (i % 250 == 249) {
                expected += stillServes(seed, i);
            }
        }
        expected += stillServes(seed, sent);
        int actual = countJobs();
        System.out.printf(
                "[fuzz] REST API: %d requests (2xx %d, 3xx %d, 4xx %d, closed without answer %d), %d jobs created by"
                        + " accepted input, seed=%d%n",
                sent, byClass[2], byClass[3], byClass[4], closedWithoutAnswer, created, seed);
        assertThat(actual)
                .as("jobs after the fuzz (seed=%d): rejected input must not create any", seed)
                .isEqualTo(expected);
        assertThat(sent).isEqualTo(REQUESTS);
        RawHttp.Response existing = call("GET", "/v1/jobs/" + existingJob, null);
        if (existingDeleted) {
            assertThat(existing.status()).as("the job a fuzzed DELETE removed").isEqualTo(404);
        } else {
            JsonNode queued = Json.mapper().readTree(existing.body());
            assertThat(queued.get("status").asText()).isIn("QUEUED", "CANCELLED");
        }
    }

    /**
     * Job specs whose payload nests as deep as a request body may be: each is either refused (422) or, once
     * accepted, can be read back. The job document stores the payload two levels deeper than the body, so before the
     * parser limited payload depth a 64-level body was accepted (201) and then every read of the job failed (500).
     */
    @Test
    void aJobWithTheDeepestPayloadAcceptedCanBeReadBack() throws Exception {
        for (int levels = 55; levels <= 64; levels++) {
            String payload = "[".repeat(levels) + "]".repeat(levels);
            RawHttp.Response r = call("POST", "/v1/jobs", "{\"type\":\"echo\",\"payload\":" + payload + "}");
            assertThat(r.status())
                    .as("payload of %d levels: %s", levels, r.text())
                    .isIn(201, 400, 422);
            if (r.status() == 201) {
                // Not parsed as JSON: the answer may itself be too deep for a client to read.
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\{\"id\":\"([^\"]+)\"")
                        .matcher(r.text());
                assertThat(m.find()).as(r.text()).isTrue();
                String id = m.group(1);
                RawHttp.Response read = call("GET", "/v1/jobs/" + id, null);
                assertThat(read.status())
                        .as("read back a job with a payload of %d levels: %s", levels, read.text())
                        .isEqualTo(200);
                assertThat(call("GET", "/v1/jobs?limit=5", null).status()).isEqualTo(200);
            }
        }
    }

    /** A valid request still works: health, submit (counted), read back. Returns the jobs it created. */
    private static int stillServes(long seed, int index) throws Exception {
        RawHttp.Response health = RawHttp.send(coordinator.port(), "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1", null);
        RawHttp.Response job =
                call("POST", "/v1/jobs", "{\"type\":\"echo\",\"requirements\":{\"capabilities\":[\"x-none\"]}}");
        if (health == null || health.status() != 200 || job == null || job.status() != 201) {
            throw new AssertionError("after fuzz request #" + index + " (seed=" + seed + ") the coordinator no longer"
                    + " serves valid requests: healthz " + (health == null ? "none" : health.status()) + ", submit "
                    + (job == null ? "none" : job.status() + " " + job.text()));
        }
        String id = Json.mapper().readTree(job.body()).get("id").asText();
        if (call("GET", "/v1/jobs/" + id, null).status() != 200) {
            throw new AssertionError("after fuzz request #" + index + " (seed=" + seed + ") a new job cannot be read");
        }
        return 1;
    }

    private static String errorBodyProblem(RawHttp.Response response) {
        String type = response.headers().getOrDefault("content-type", "");
        if (!type.startsWith("application/json")) {
            return "is not JSON (Content-Type '" + type + "')";
        }
        try {
            JsonNode body = Json.mapper().readTree(response.body());
            JsonNode error = body == null ? null : body.get("error");
            if (error == null
                    || !error.path("code").isTextual()
                    || !error.path("message").isTextual()) {
                return "lacks error.code/error.message";
            }
            if (error.path("code").asText().isBlank()
                    || error.path("message").asText().isBlank()) {
                return "has a blank code or message";
            }
            return null;
        } catch (Exception e) {
            return "is not valid JSON";
        }
    }

    private static AssertionError failure(long seed, int index, Request request, String what) {
        return new AssertionError("fuzz request #" + index + " (seed=" + seed + ", replay with -Dmesh.fuzz.seed="
                + seed + "): " + what + "\nrequest head: " + Gen.show(request.head) + "\nbody: "
                + (request.body == null ? "none" : Gen.show(new String(request.body, StandardCharsets.ISO_8859_1))));
    }

    // ------------------------------------------------------------------------------------------------ generation

    record Request(String method, String head, byte[] body, boolean brokenFraming) {}

    static final List<String> ROUTES = List.of(
            "/healthz",
            "/v1/jobs",
            "/v1/jobs/batch",
            "/v1/jobs/{id}",
            "/v1/jobs/{id}/cancel",
            "/v1/jobs/{id}/events",
            "/jobs",
            "/v1/nodes",
            "/v1/nodes/{id}",
            "/v1/nodes/{id}/drain",
            "/v1/tokens",
            "/v1/tokens/{id}",
            "/v1/agents/connect",
            "/v1/stats",
            "/",
            "/v2/jobs",
            "/v1/jobs/{id}/events/{id}",
            "//v1//jobs//",
            "/v1/jobs/",
            "/v1/../v1/jobs");

    static final List<String> BODIES = List.of(
            "{\"type\":\"echo\",\"requirements\":{\"capabilities\":[\"nobody\"]}}",
            "{\"jobs\":[{\"type\":\"echo\",\"requirements\":{\"capabilities\":[\"nobody\"]}},{\"type\":\"sleep\"}]}",
            "{\"role\":\"read\",\"name\":\"ci\"}",
            "{\"name\":\"push\",\"address\":\"http://127.0.0.1:1\",\"capabilities\":[\"nobody\"],\"max_concurrent\":1}",
            "{\"type\":\"sleep\",\"payload\":{\"ms\":5},\"retry\":{\"max_attempts\":2},\"idempotency_key\":\"k\"}");

    private Request request(Gen gen) {
        String method = switch (gen.nextInt(12)) {
            case 0, 1, 2, 3 -> "GET";
            case 4, 5, 6, 7 -> "POST";
            case 8 -> "DELETE";
            case 9 -> gen.pick("PUT", "PATCH", "OPTIONS", "HEAD", "TRACE");
            case 10 -> gen.pick("get", "FUZZ", "POST2", "CONNECT");
            default -> "POST";
        };
        String route = gen.pick(ROUTES);
        StringBuilder path = new StringBuilder();
        for (String part : route.split("\\{id}", -1)) {
            if (!path.isEmpty() || route.startsWith("{id}")) {
                path.append(id(gen));
            }
            path.append(part);
        }
        boolean brokenFraming = false;
        StringBuilder query = new StringBuilder();
        if (route.endsWith("/events") && method.equals("GET")) {
            query.append("follow=false"); // a following stream on a live job would wait for it to end
        }
        int params = gen.chance(40) ? gen.nextInt(1, 5) : 0;
        for (int p = 0; p < params; p++) {
            String name = gen.pick("limit", "cursor", "status", "type", "node", "scope", "x", "limit[]", "", "%ff");
            String value = switch (gen.nextInt(6)) {
                case 0 -> gen.pick("-1", "0", "1", "1001", "99999999999999999999", "abc", "QUEUED", "queued", "");
                case 1 -> "%" + gen.pick("ff", "fe", "c0%80", "00", "zz", "2", "ed%a0%80");
                default -> URLEncoder.encode(gen.string(), StandardCharsets.UTF_8);
            };
            if (!name.equals("follow")) {
                query.append(query.isEmpty() ? "" : "&")
                        .append(name)
                        .append('=')
                        .append(value);
            }
        }
        String target = path + (query.isEmpty() ? "" : "?" + query);
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        head.writeBytes((method + " ").getBytes(StandardCharsets.ISO_8859_1));
        if (gen.chance(3)) {
            head.writeBytes(target.getBytes(StandardCharsets.ISO_8859_1));
            // Raw non-ASCII bytes in the request target. Not CR, LF or space: those end the request line, and Jetty
            // rightly answers a line without an HTTP version as HTTP/0.9 with 505.
            byte[] raw = gen.invalidUtf8(gen.nextInt(1, 6));
            for (int b = 0; b < raw.length; b++) {
                raw[b] = (byte) (raw[b] | 0x80);
            }
            head.writeBytes(raw);
            brokenFraming = true;
        } else {
            head.writeBytes(target.getBytes(StandardCharsets.UTF_8));
        }
        head.writeBytes(" HTTP/1.1\r\nHost: 127.0.0.1".getBytes(StandardCharsets.ISO_8859_1));
        switch (gen.nextInt(10)) {
            case 0 -> {}
            case 1 -> header(head, "Authorization", "Bearer " + gen.ascii(gen.nextInt(0, 80)));
            case 2 ->
                header(head, "Authorization", gen.pick("Basic YTpi", "Bearer", "bearer  ", "Bearer \t", "Token x"));
            default -> header(head, "Authorization", (gen.chance(10) ? "bearer " : "Bearer ") + gen.pick(tokens));
        }
        byte[] body = body(gen, method);
        switch (gen.nextInt(10)) {
            case 0 -> {}
            case 1 ->
                header(
                        head,
                        "Content-Type",
                        gen.pick(
                                "text/plain",
                                "application/x-www-form-urlencoded",
                                "multipart/form-data; boundary=x",
                                "application/json; charset=utf-16",
                                "",
                                "application/jsonx",
                                "*/*",
                                "APPLICATION/JSON"));
            case 2 -> header(head, "Content-Type", gen.ascii(gen.nextInt(0, 40)));
            default -> header(head, "Content-Type", "application/json");
        }
        if (gen.chance(10)) {
            header(
                    head,
                    "Idempotency-Key",
                    gen.chance(50) ? "fuzz-key-" + gen.nextInt(5) : gen.ascii(gen.nextInt(0, 400)));
        }
        if (gen.chance(5)) {
            header(head, "Last-Event-ID", gen.pick("-1", "abc", "99999999999999999999999", "", "1e3"));
        }
        if (gen.chance(5)) {
            header(head, "Accept", gen.pick("text/event-stream", "*/*", "application/xml", "garbage"));
        }
        if (gen.chance(5)) {
            header(
                    head,
                    "X-" + gen.ascii(gen.nextInt(1, 10)).replaceAll("[^A-Za-z0-9]", "a"),
                    gen.ascii(gen.nextInt(0, 50)));
        }
        if (body != null) {
            int declared = body.length;
            if (gen.chance(8) && body.length > 0) {
                declared = body.length + gen.nextInt(1, 100); // truncated: the body ends early
                brokenFraming = true;
            }
            header(head, "Content-Length", Integer.toString(declared));
        }
        return new Request(method, new String(head.toByteArray(), StandardCharsets.ISO_8859_1), body, brokenFraming);
    }

    private static void header(ByteArrayOutputStream head, String name, String value) {
        head.writeBytes(("\r\n" + name + ": ").getBytes(StandardCharsets.ISO_8859_1));
        head.writeBytes(value.replace("\r", "").replace("\n", "").getBytes(StandardCharsets.UTF_8));
    }

    private static String id(Gen gen) {
        return switch (gen.nextInt(8)) {
            case 0, 1 -> existingJob;
            case 2 -> JobIds.next();
            case 3 -> gen.pick("did:key:z6Mkabc", "node-1", "..", ".", "%2e%2e", "%00", "%ff%fe", "0", "-1", "null");
            case 4 -> "x".repeat(gen.nextInt(1, 3_000));
            default -> URLEncoder.encode(gen.string(), StandardCharsets.UTF_8);
        };
    }

    private static byte[] body(Gen gen, String method) {
        if (gen.chance(method.equals("GET") ? 80 : 10)) {
            return null;
        }
        return switch (gen.nextInt(12)) {
            case 0 -> new byte[0];
            case 1 -> gen.invalidUtf8(gen.nextInt(1, 300));
            case 2 -> gen.jsonText(4).getBytes(StandardCharsets.UTF_8);
            case 3 -> gen.nested(gen.nextInt(1, 120), gen.pick(BODIES)).getBytes(StandardCharsets.UTF_8);
            case 4 ->
                ("{\"type\":\"echo\",\"payload\":\"" + "x".repeat((int) MAX_BODY) + "\"}")
                        .getBytes(StandardCharsets.UTF_8); // over the body limit
            case 5 ->
                Gen.write(gen.mutateTree(readTree(gen.pick(BODIES)), CodecAndParserFuzzTest.SPEC_FIELDS))
                        .getBytes(StandardCharsets.UTF_8);
            case 6 -> gen.pick(BODIES).getBytes(StandardCharsets.UTF_16);
            default -> gen.mutateText(gen.pick(BODIES)).getBytes(StandardCharsets.UTF_8);
        };
    }

    private static JsonNode readTree(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
