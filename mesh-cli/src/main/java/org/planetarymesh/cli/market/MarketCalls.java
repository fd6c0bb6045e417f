package org.planetarymesh.cli.market;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.planetarymesh.cli.UserError;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.client.RawAnswer;
import org.planetarymesh.core.identity.SigningKey;
import org.planetarymesh.core.json.Json;

/** The marketplace calls the CLI makes, and the key files it signs with. */
final class MarketCalls {

    private MarketCalls() {}

    /** A JSON answer of a 2xx; anything else is a {@link UserError} with the coordinator's message. */
    static JsonNode call(MeshClient client, String method, String path, String json) {
        return ok(client.exchange(method, path, json, Map.of()));
    }

    static JsonNode ok(RawAnswer answer) {
        JsonNode body = parse(answer.body());
        if (answer.status() / 100 != 2) {
            JsonNode error = body.path("error");
            String code = error.isObject() ? error.path("code").asText() : error.asText("http_" + answer.status());
            String message = error.isObject()
                    ? error.path("message").asText()
                    : body.path("message").asText();
            throw new UserError(code, message + " (HTTP " + answer.status() + ")");
        }
        return body;
    }

    static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank()
                    ? Json.mapper().createObjectNode()
                    : Json.mapper().readTree(body);
        } catch (IOException e) {
            throw new UserError("bad_response", "the coordinator answered something that is not JSON: " + body);
        }
    }

    /** An existing key file (a node's {@code identity/node.key}, or a buyer's); never creates one by accident. */
    static SigningKey key(Path file) {
        if (file == null) {
            throw new UserError(
                    "missing_key",
                    "pass --key FILE: the Ed25519 key (PKCS#8) that signs, e.g. a node's"
                            + " <agent data dir>/identity/node.key, or one made with 'mesh balance --new-key FILE'");
        }
        if (!Files.isReadable(file)) {
            throw new UserError("missing_key", "no readable key file " + file);
        }
        return SigningKey.loadOrCreate(file);
    }

    /** The account an option names: {@code account} itself, else the did of {@code keyFile}. */
    static String account(String account, Path keyFile) {
        if (account != null) {
            return account;
        }
        return key(keyFile).did();
    }

    static String json(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
