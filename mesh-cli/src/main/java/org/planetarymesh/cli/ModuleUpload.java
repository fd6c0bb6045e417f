package org.planetarymesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.core.json.Json;

/** {@code mesh submit wasm --module FILE}: stores the module as a blob and names it by CID in the payload. */
final class ModuleUpload {
    private ModuleUpload() {}

    static String put(MeshClient client, String type, Path file) {
        if (!"wasm".equals(type)) {
            throw new UserError("invalid_argument", "--module goes with type wasm (got '" + type + "')");
        }
        return client.putBlob(read(file));
    }

    static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UserError("invalid_argument", "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** {@code payload} (an object, or none) with {@code "module": cid}. */
    static JsonNode withModule(JsonNode payload, String cid) {
        if (payload != null && !payload.isNull() && !payload.isObject()) {
            throw new UserError("invalid_argument", "with --module the payload must be a JSON object");
        }
        ObjectNode out = payload == null || payload.isNull()
                ? Json.mapper().createObjectNode()
                : ((ObjectNode) payload).deepCopy();
        return out.put("module", cid);
    }
}
