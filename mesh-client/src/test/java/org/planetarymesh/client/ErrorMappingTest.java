package org.planetarymesh.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.planetarymesh.client.LoopbackServer.respond;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ErrorMappingTest {

    static Stream<Arguments> documentedErrors() {
        return Stream.of(
                Arguments.of(400, "bad_request", InvalidRequestException.class),
                Arguments.of(401, "unauthorized", UnauthorizedException.class),
                Arguments.of(403, "forbidden", ForbiddenException.class),
                Arguments.of(404, "not_found", NotFoundException.class),
                Arguments.of(409, "invalid_transition", ConflictException.class),
                Arguments.of(413, "payload_too_large", InvalidRequestException.class),
                Arguments.of(415, "unsupported_media_type", InvalidRequestException.class),
                Arguments.of(422, "invalid_spec", InvalidRequestException.class),
                Arguments.of(429, "rate_limited", RateLimitedException.class),
                Arguments.of(500, "internal", ServerErrorException.class),
                Arguments.of(503, "unavailable", ServerErrorException.class));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("documentedErrors")
    void mapsEachDocumentedErrorToItsTypeWithCodeStatusAndMessage(
            int status, String code, Class<? extends MeshClientException> type) throws IOException {
        String body = "{\"error\": {\"code\": \"" + code + "\", \"message\": \"it went wrong\"}}";
        try (LoopbackServer server = new LoopbackServer().on("/v1/jobs/x", e -> respond(e, status, body));
                MeshClient client = MeshClient.connect(server.url(), "t")) {
            MeshClientException error = catchThrowableOfType(type, () -> client.get("x"));
            assertThat(error).isNotNull();
            assertThat(error.code()).isEqualTo(code);
            assertThat(error.status()).isEqualTo(status);
            assertThat(error.getMessage()).isEqualTo("it went wrong");
            assertThat(error.details()).isEmpty();
        }
    }

    @Test
    void carriesFieldDetailsOfAnInvalidSpec() throws IOException {
        String body = """
                {"error": {"code": "invalid_spec", "message": "2 problems",
                  "details": [{"field": "retry.max_attempts", "message": "must be between 1 and 100"},
                              {"index": 3, "field": "type", "message": "is required"}]}}""";
        try (LoopbackServer server = new LoopbackServer().on("/v1/jobs/batch", e -> respond(e, 422, body));
                MeshClient client = MeshClient.connect(server.url(), "t")) {
            InvalidRequestException error =
                    catchThrowableOfType(InvalidRequestException.class, () -> client.submitAll(java.util.List.of()));
            assertThat(error.details())
                    .containsExactly(
                            new ErrorDetail(null, "retry.max_attempts", "must be between 1 and 100"),
                            new ErrorDetail(3, "type", "is required"));
            assertThat(error.details())
                    .map(ErrorDetail::toString)
                    .containsExactly("retry.max_attempts: must be between 1 and 100", "jobs[3].type: is required");
        }
    }

    @Test
    void aBodyThatIsNotTheApisErrorStillYieldsTheStatus() throws IOException {
        try (LoopbackServer server = new LoopbackServer()
                        .on("/v1/jobs/x", e -> respond(e, 502, "<html><body>Bad   Gateway</body></html>"));
                MeshClient client = MeshClient.connect(server.url(), "t")) {
            ServerErrorException error = catchThrowableOfType(ServerErrorException.class, () -> client.get("x"));
            assertThat(error.code()).isEqualTo("server_error");
            assertThat(error.status()).isEqualTo(502);
            assertThat(error.getMessage()).isEqualTo("HTTP 502: <html><body>Bad Gateway</body></html>");
        }
    }

    @Test
    void anErrorOnTheEventStreamIsTypedToo() throws IOException {
        String body = "{\"error\": {\"code\": \"not_found\", \"message\": \"no job nope\"}}";
        try (LoopbackServer server = new LoopbackServer().on("/v1/jobs/nope/events", e -> respond(e, 404, body));
                MeshClient client = MeshClient.connect(server.url(), "t")) {
            NotFoundException error = catchThrowableOfType(NotFoundException.class, () -> client.events("nope"));
            assertThat(error.getMessage()).isEqualTo("no job nope");
        }
    }

    @Test
    void noListenerMeansUnavailable() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        try (MeshClient client = MeshClient.connect("127.0.0.1:" + port, "t")) {
            MeshUnavailableException error =
                    catchThrowableOfType(MeshUnavailableException.class, () -> client.get("x"));
            assertThat(error.code()).isEqualTo("unavailable");
            assertThat(error.status()).isZero();
            assertThat(error.getMessage()).contains("127.0.0.1:" + port);
            assertThat(client.healthy()).isFalse();
        }
    }
}
