package org.planetarymesh.coordinator.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.planetarymesh.coordinator.CoordinatorConfig;
import org.planetarymesh.coordinator.auth.ApiTokens;
import org.planetarymesh.coordinator.auth.Role;
import org.planetarymesh.store.TokenStore.TokenRecord;

/** {@code /v1/tokens} (admin only): create a token (its secret is answered once), list tokens, revoke one. */
final class TokensApi {

    private final CoordinatorConfig config;
    private final ApiTokens tokens;

    TokensApi(CoordinatorConfig config, ApiTokens tokens) {
        this.config = config;
        this.tokens = tokens;
    }

    void create(Context ctx) {
        JsonNode body = Http.jsonBody(ctx, Math.min(config.maxBodyBytes(), 64 * 1024));
        if (!body.isObject()) {
            throw new ApiException(
                    422, "invalid_token", "send {\"role\": \"admin|submit|read|agent\", \"name\": \"...\"}");
        }
        JsonNode roleNode = body.path("role");
        Role role = roleNode.isTextual() ? Role.parse(roleNode.asText()) : null;
        if (role == null) {
            throw new ApiException(
                    422,
                    "invalid_token",
                    "role must be one of admin, submit, read, agent",
                    List.of(Map.of("field", "role", "message", "must be one of admin, submit, read, agent")));
        }
        JsonNode nameNode = body.path("name");
        if (!nameNode.isMissingNode()
                && !nameNode.isNull()
                && (!nameNode.isTextual() || nameNode.asText().length() > 100)) {
            throw new ApiException(
                    422,
                    "invalid_token",
                    "name must be a string of at most 100 characters",
                    List.of(Map.of("field", "name", "message", "must be a string of at most 100 characters")));
        }
        String name = nameNode.isTextual() ? nameNode.asText() : null;
        ApiTokens.Created created = tokens.create(role, name);
        Map<String, Object> answer = view(created.record());
        answer.put("token", created.token());
        Http.json(ctx, 201, answer);
    }

    void list(Context ctx) {
        Http.json(
                ctx,
                200,
                Map.of("tokens", tokens.list().stream().map(TokensApi::view).toList()));
    }

    void revoke(Context ctx) {
        String id = ctx.pathParam("id");
        if (!tokens.revoke(id)) {
            throw ApiException.notFound("no valid token with id " + id + " (unknown or already revoked)");
        }
        Http.json(ctx, 200, Map.of("id", id, "revoked", true));
    }

    private static Map<String, Object> view(TokenRecord record) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", record.id());
        view.put("name", record.name());
        view.put("role", record.role());
        view.put("created_at", Instant.ofEpochMilli(record.createdAt()).toString());
        view.put(
                "revoked_at",
                record.revokedAt() == null
                        ? null
                        : Instant.ofEpochMilli(record.revokedAt()).toString());
        return view;
    }
}
