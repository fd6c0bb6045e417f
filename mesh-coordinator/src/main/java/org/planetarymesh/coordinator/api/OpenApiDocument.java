package org.planetarymesh.coordinator.api;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /v1/openapi.json}: the OpenAPI 3.1 description of this API, a hand-written resource ({@code openapi.json}
 * beside this class) served as it is. {@code OpenApiDocumentTest} keeps it true: every route the server registers is
 * in it, and every example request in it is accepted by a real coordinator. Adding a route means adding its path item
 * there (docs/API.md says how).
 */
public final class OpenApiDocument {

    /** Where the description lives on the class path. */
    public static final String RESOURCE = "openapi.json";

    private static final byte[] DOCUMENT = load();

    private OpenApiDocument() {}

    static void serve(Context ctx) {
        ctx.status(200).contentType("application/json").result(DOCUMENT);
    }

    private static byte[] load() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the build left out " + RESOURCE + " beside " + OpenApiDocument.class);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
