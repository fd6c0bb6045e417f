package org.planetarymesh.coordinator.api;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import org.planetarymesh.coordinator.blob.BlobStore;
import org.planetarymesh.core.blob.Cid;

/** {@code POST /v1/blobs} stores raw bytes and answers their CID; {@code GET /v1/blobs/{cid}} serves them back. */
final class BlobsApi {
    private final BlobStore store;

    BlobsApi(BlobStore store) {
        this.store = store;
    }

    void put(Context ctx) {
        byte[] bytes = Http.body(ctx, store.maxBytes());
        BlobStore.Stored stored = store.put(bytes);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", stored.cid().text());
        body.put("cid", stored.cid().text());
        body.put("size", stored.size());
        body.put("created", stored.created());
        ctx.header("Location", "/v1/blobs/" + stored.cid().text());
        Http.json(ctx, stored.created() ? 201 : 200, body);
    }

    void get(Context ctx) {
        Cid cid;
        try {
            cid = Cid.parse(ctx.pathParam("id"));
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "invalid_cid", "path parameter 'id' (a CID): " + e.getMessage());
        }
        var file = store.find(cid)
                .orElseThrow(() -> ApiException.notFound(
                        "no blob " + cid + "; store it with POST /v1/blobs ('mesh blob put FILE')"));
        try {
            ctx.contentType("application/octet-stream")
                    .header("ETag", "\"" + cid.text() + "\"")
                    .header("Cache-Control", "public, max-age=31536000, immutable")
                    .result(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
