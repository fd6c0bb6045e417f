package org.planetarymesh.coordinator.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.planetarymesh.coordinator.Coordinator;
import org.planetarymesh.coordinator.security.Fixture.Response;
import org.planetarymesh.testkit.agent.RawAgent;

/**
 * Every endpoint but {@code /healthz}: 401 without a token, 403 with a token whose role is too weak, and not
 * 401/403 with a strong enough one. Tokens are real ones created through {@code POST /v1/tokens}.
 */
class AuthorizationTableTest {

    @TempDir
    static Path dir;

    static Coordinator coordinator;
    static Map<String, String> tokens;
    static String jobId;

    /** One row: method, path, body, and the roles that must be refused with 403. */
    record Row(String method, String path, String body, List<String> tooWeak) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        coordinator = Fixture.start(dir, c -> c);
        tokens = Map.of(
                "read", Fixture.createToken(coordinator, "read")[1],
                "submit", Fixture.createToken(coordinator, "submit")[1],
                "agent", Fixture.createToken(coordinator, "agent")[1],
                "admin", Fixture.createToken(coordinator, "admin")[1]);
        // Submitted with the submit token: that token may read only its own jobs (see OwnJobsTest), read and admin all.
        Response job = Fixture.call(coordinator, "POST", "/v1/jobs", "{\"type\":\"echo\"}", tokens.get("submit"));
        jobId = job.body().get("id").asText();
    }

    @AfterAll
    static void stop() {
        coordinator.close();
    }

    static List<Row> rows() {
        String job = "/v1/jobs/" + jobId;
        List<String> notReaders = List.of("agent");
        List<String> notSubmitters = List.of("agent", "read");
        List<String> notAdmins = List.of("agent", "read", "submit");
        return List.of(
                new Row("GET", "/v1/jobs", null, notReaders),
                new Row("GET", job, null, notReaders),
                new Row("GET", job + "/events?follow=false", null, notReaders),
                new Row("GET", "/jobs", null, notReaders),
                new Row("GET", "/v1/nodes", null, notReaders),
                new Row("GET", "/v1/nodes/nobody", null, notReaders),
                new Row("POST", "/v1/jobs", "{\"type\":\"echo\"}", notSubmitters),
                new Row("POST", "/jobs", "{\"type\":\"echo\"}", notSubmitters),
                new Row("POST", "/v1/jobs/batch", "{\"jobs\":[{\"type\":\"echo\"}]}", notSubmitters),
                new Row("POST", "/v1/jobs/nonexistent/cancel", "", notSubmitters),
                new Row("POST", "/v1/nodes", "{\"name\":\"p\",\"address\":\":1\",\"max_concurrent\":1}", notAdmins),
                new Row("POST", "/v1/nodes/nobody/drain", "", notAdmins),
                new Row("POST", "/v1/nodes/nobody/undrain", "", notAdmins),
                new Row("DELETE", "/v1/nodes/nobody", null, notAdmins),
                new Row("POST", job + "/retry", "", notSubmitters),
                new Row("POST", "/v1/jobs/retry", "{}", notSubmitters),
                new Row("DELETE", job, null, notSubmitters),
                new Row("GET", "/v1/tokens", null, notAdmins),
                new Row("POST", "/v1/tokens", "{\"role\":\"read\"}", notAdmins),
                new Row("DELETE", "/v1/tokens/tok_nonexistent", null, notAdmins),
                new Row("POST", "/v1/blobs", "{}", notSubmitters),
                // Agents fetch the modules their jobs name with their own token: every role may read a blob.
                new Row(
                        "GET",
                        "/v1/blobs/bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku",
                        null,
                        List.of()),
                new Row("GET", "/v1/no-such-route", null, notReaders));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void refusesWithoutTokenAndWithTooWeakRole(Row row) throws Exception {
        Response none = Fixture.call(coordinator, row.method(), row.path(), row.body(), null);
        assertThat(none.status()).as("no token: %s", none.raw()).isEqualTo(401);
        assertThat(none.body().at("/error/message").asText()).contains("Authorization: Bearer");

        Response bogus = Fixture.call(coordinator, row.method(), row.path(), row.body(), "mesh_not-a-real-token");
        assertThat(bogus.status()).as("bad token: %s", bogus.raw()).isEqualTo(401);

        for (String weak : row.tooWeak()) {
            Response refused = Fixture.call(coordinator, row.method(), row.path(), row.body(), tokens.get(weak));
            assertThat(refused.status()).as("%s token: %s", weak, refused.raw()).isEqualTo(403);
            assertThat(refused.body().at("/error/message").asText())
                    .contains("needs a token with role")
                    .contains("has role " + weak);
        }
        for (String strong : List.of("read", "submit", "admin")) {
            if (row.tooWeak().contains(strong)) {
                continue;
            }
            Response allowed = Fixture.call(coordinator, row.method(), row.path(), row.body(), tokens.get(strong));
            assertThat(allowed.status())
                    .as("%s token: %s", strong, allowed.raw())
                    .isNotIn(401, 403);
        }
    }

    @Test
    void healthzNeedsNoToken() throws Exception {
        assertThat(Fixture.call(coordinator, "GET", "/healthz", null, null).status())
                .isEqualTo(200);
    }

    @Test
    void agentSocketNeedsAgentOrAdminRole() throws Exception {
        for (String role : List.of("read", "submit")) {
            assertThat(RawAgent.upgradeStatus(coordinator.url(), tokens.get(role)))
                    .as(role)
                    .isEqualTo(403);
        }
        assertThat(RawAgent.upgradeStatus(coordinator.url(), null)).isEqualTo(401);
        assertThat(RawAgent.upgradeStatus(coordinator.url(), tokens.get("agent")))
                .isEqualTo(101);
        assertThat(RawAgent.upgradeStatus(coordinator.url(), tokens.get("admin")))
                .isEqualTo(101);
    }

    @Test
    void revokedTokenIsRefusedAtOnce() throws Exception {
        String[] created = Fixture.createToken(coordinator, "submit");
        assertThat(Fixture.call(coordinator, "GET", "/v1/jobs", null, created[1])
                        .status())
                .isEqualTo(200);

        Response revoked =
                Fixture.call(coordinator, "DELETE", "/v1/tokens/" + created[0], null, coordinator.adminToken());
        assertThat(revoked.status()).as(revoked.raw()).isEqualTo(200);

        Response after = Fixture.call(coordinator, "GET", "/v1/jobs", null, created[1]);
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.body().at("/error/message").asText()).contains("revoked");
        assertThat(Fixture.call(coordinator, "DELETE", "/v1/tokens/" + created[0], null, coordinator.adminToken())
                        .status())
                .isEqualTo(404);
    }

    @Test
    void revokingAnAgentTokenClosesTheSocketsOpenedWithItAndOnlyThose() throws Exception {
        String[] revokedToken = Fixture.createToken(coordinator, "agent");
        String[] keptToken = Fixture.createToken(coordinator, "agent");
        RawAgent.Identity first = RawAgent.Identity.generate();
        RawAgent.Identity second = RawAgent.Identity.generate();
        try (RawAgent revokedAgent = RawAgent.connect(coordinator.url(), revokedToken[1]);
                RawAgent keptAgent = RawAgent.connect(coordinator.url(), keptToken[1])) {
            revokedAgent.join(first.did(), first, first);
            keptAgent.join(second.did(), second, second);

            Response revoked = Fixture.call(
                    coordinator, "DELETE", "/v1/tokens/" + revokedToken[0], null, coordinator.adminToken());
            assertThat(revoked.status()).as(revoked.raw()).isEqualTo(200);

            assertThat(revokedAgent.awaitClosed().reason()).contains("revoked");
            assertThat(keptAgent.liveness()).isEqualTo("open");
            assertThat(RawAgent.upgradeStatus(coordinator.url(), revokedToken[1]))
                    .isEqualTo(401);
        }
    }

    @Test
    void listShowsTokensButNeverSecretsOrHashes() throws Exception {
        String[] created = Fixture.createToken(coordinator, "read");
        Response list = Fixture.call(coordinator, "GET", "/v1/tokens", null, coordinator.adminToken());
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.raw()).contains(created[0]).doesNotContain(created[1]).doesNotContain("hash");
        assertThat(list.body().get("tokens").findValuesAsText("role")).contains("read", "submit", "admin", "agent");
    }

    @Test
    void invalidRoleIsRejectedWithTheChoices() throws Exception {
        Response bad = Fixture.call(coordinator, "POST", "/v1/tokens", "{\"role\":\"root\"}", coordinator.adminToken());
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.body().at("/error/message").asText()).contains("admin, submit, read, agent");
    }
}
