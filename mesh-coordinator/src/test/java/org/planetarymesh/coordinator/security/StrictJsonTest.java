package org.planetarymesh.coordinator.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.coordinator.Coordinator;
import org.planetarymesh.coordinator.security.Fixture.Response;

/**
 * Request bodies are read as strictly as agent frames: what the API checked is exactly what runs. A lenient parser took
 * the last of two {@code type} keys, ignored what followed the document, read an overlong {@code C0 AF} as '/', and
 * stored a lone surrogate as '?'.
 */
class StrictJsonTest {

    @TempDir
    Path dir;

    private Coordinator c;

    @BeforeEach
    void start() {
        c = Fixture.start(dir, UnaryOperator.identity());
    }

    @AfterEach
    void stop() {
        c.close();
    }

    private Response post(byte[] body) throws Exception {
        return Fixture.call(Fixture.HTTP, c.url(), "POST", "/v1/jobs", body, c.adminToken());
    }

    private Response post(String body) throws Exception {
        return post(body.getBytes(StandardCharsets.UTF_8));
    }

    private int jobCount() throws Exception {
        return Fixture.call(c, "GET", "/v1/jobs?limit=1000", null, c.adminToken())
                .body()
                .get("jobs")
                .size();
    }

    private static byte[] concat(String before, byte[] middle, String after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(middle);
        out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static void assertMalformed(Response r, String messagePart) {
        assertThat(r.status()).as(r.raw()).isEqualTo(400);
        assertThat(r.body().at("/error/code").asText()).isEqualTo("malformed_json");
        assertThat(r.body().at("/error/message").asText()).contains(messagePart);
    }

    @Test
    void aDuplicateKeyIsRefusedNotLastWins() throws Exception {
        assertMalformed(post("{\"type\":\"echo\",\"type\":\"sleep\"}"), "Duplicate field 'type'");
        assertMalformed(post("{\"type\":\"echo\",\"payload\":{\"a\":1,\"a\":2}}"), "Duplicate field 'a'");
        assertMalformed(
                Fixture.call(
                        Fixture.HTTP,
                        c.url(),
                        "POST",
                        "/v1/jobs/batch",
                        "{\"jobs\":[{\"type\":\"echo\",\"type\":\"sleep\"}]}".getBytes(StandardCharsets.UTF_8),
                        c.adminToken()),
                "Duplicate field 'type'");
        assertThat(jobCount()).isZero();
    }

    @Test
    void anythingAfterTheDocumentIsRefused() throws Exception {
        assertMalformed(post("{\"type\":\"echo\"} x"), "line 1, column 17");
        assertMalformed(post("{\"type\":\"echo\"}{\"type\":\"sleep\"}"), "Trailing token");
        assertMalformed(post("{\"type\":\"echo\"}]"), "column 16");
        assertThat(jobCount()).isZero();
        // Whitespace after the document is not content.
        assertThat(post("{\"type\":\"echo\"} \r\n").status()).isEqualTo(201);
    }

    @Test
    void bytesThatAreNotStrictUtf8AreRefusedWithTheirOffset() throws Exception {
        String before = "{\"type\":\"echo\",\"payload\":{\"p\":\"";
        int at = before.length();
        // Overlong '/', an encoded surrogate (CESU-8), a stray continuation byte, a truncated sequence, above U+10FFFF.
        byte[][] bad = {
            {(byte) 0xC0, (byte) 0xAF},
            {(byte) 0xE0, (byte) 0x80, (byte) 0xAF},
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0x80},
            {(byte) 0xE2, (byte) 0x82},
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
            {(byte) 0xFF}
        };
        for (byte[] sequence : bad) {
            Response r = post(concat(before, sequence, "\"}}"));
            assertMalformed(r, "not valid UTF-8 at byte " + at);
        }
        assertThat(jobCount()).isZero();
        // Well-formed multi-byte text (2, 3 and 4 bytes) is kept as sent.
        Response ok = post(before + "é€😀\"}}");
        assertThat(ok.status()).as(ok.raw()).isEqualTo(201);
        assertThat(ok.body().at("/spec/payload/p").asText()).isEqualTo("é€😀");
    }

    @Test
    void aLoneSurrogateIsRefusedNamingItsField() throws Exception {
        Response r = post("{\"type\":\"echo\",\"payload\":{\"list\":[\"ok\",\"\\ud800x\"]}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(400);
        assertThat(r.body().at("/error/code").asText()).isEqualTo("invalid_string");
        assertThat(r.body().at("/error/message").asText())
                .startsWith("payload.list[1] ")
                .contains("surrogate");
        assertThat(r.body().at("/error/details/0/field").asText()).isEqualTo("payload.list[1]");

        Response low = post("{\"type\":\"echo\",\"idempotency_key\":\"k\\udc00\"}");
        assertThat(low.status()).isEqualTo(400);
        assertThat(low.body().at("/error/details/0/field").asText()).isEqualTo("idempotency_key");

        Response inKey = post("{\"type\":\"echo\",\"payload\":{\"\\ud800\":1}}");
        // The parser itself refuses a broken pair in a key, with its position.
        assertMalformed(inKey, "surrogate");
        assertThat(jobCount()).isZero();

        // An escaped pair is one character, and fine.
        Response pair = post("{\"type\":\"echo\",\"payload\":{\"p\":\"\\ud83d\\ude00\"}}");
        assertThat(pair.status()).as(pair.raw()).isEqualTo(201);
        assertThat(pair.body().at("/spec/payload/p").asText()).isEqualTo("😀");
    }
}
