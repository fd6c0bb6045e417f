package org.planetarymesh.agent.executor.wasm;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.planetarymesh.core.blob.Cid;
import org.planetarymesh.executor.ExecutorException;

/**
 * A {@code wasm} job's payload, checked: the module (by CID, or inline as base64), and either an exported function
 * with numeric arguments or a WASI command ({@code _start}) with args, env and stdin; optional memory cap, fuel and
 * mode.
 *
 * @param cid the module's CID (computed for an inline module too: the compiled-module cache is keyed by it)
 * @param inline the module's bytes when given inline, else null (fetched by CID)
 * @param function the exported function to call, or null for a WASI command
 * @param params the function's arguments, as JSON numbers
 * @param args a WASI command's arguments after argv[0]
 * @param env a WASI command's environment
 * @param stdin a WASI command's standard input
 * @param maxPages the memory cap the job asks for (64 KiB pages), or 0 for the agent's
 * @param fuel the instruction budget, or 0 for none (a budget runs the module in the interpreter)
 * @param interpreted whether to run in the interpreter rather than compiled to JVM bytecode
 */
record WasmJob(
        Cid cid,
        byte[] inline,
        String function,
        List<JsonNode> params,
        List<String> args,
        Map<String, String> env,
        byte[] stdin,
        int maxPages,
        long fuel,
        boolean interpreted) {

    /** The largest module a payload may carry inline; larger ones go through the blob store. */
    static final int MAX_INLINE_BYTES = 256 * 1024;

    static WasmJob parse(JsonNode p) throws ExecutorException {
        if (p == null || !p.isObject()) {
            throw bad("the payload must be an object: {\"module\": CID, \"function\"?: NAME, \"params\"?: [...]}");
        }
        Cid cid;
        byte[] inline = null;
        if (p.hasNonNull("module_base64")) {
            inline = inlineModule(p.get("module_base64"));
            cid = Cid.of(inline);
        } else if (p.path("module").isTextual()) {
            try {
                cid = Cid.parse(p.get("module").asText());
            } catch (IllegalArgumentException e) {
                throw bad("'module': " + e.getMessage());
            }
        } else {
            throw bad("name the module: \"module\": CID (store it with 'mesh blob put FILE') or"
                    + " \"module_base64\": its bytes (at most " + MAX_INLINE_BYTES + ")");
        }
        String function = text(p, "function");
        List<JsonNode> params = new ArrayList<>();
        for (JsonNode n : array(p, "params")) {
            if (!n.isNumber()) {
                throw bad("'params' holds numbers only (i32, i64, f32, f64); got " + n);
            }
            params.add(n);
        }
        if (function == null && !params.isEmpty()) {
            throw bad("'params' go with 'function'; a WASI command takes 'args' (strings)");
        }
        List<String> args = new ArrayList<>();
        for (JsonNode n : array(p, "args")) {
            if (!n.isTextual()) {
                throw bad("'args' holds strings only; got " + n);
            }
            args.add(n.asText());
        }
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode e = p.path("env");
        if (!e.isMissingNode() && !e.isNull()) {
            if (!e.isObject()) {
                throw bad("'env' is an object of strings, e.g. {\"NAME\": \"value\"}");
            }
            for (var entry : e.properties()) {
                if (!entry.getValue().isTextual()) {
                    throw bad("'env." + entry.getKey() + "' must be a string");
                }
                env.put(entry.getKey(), entry.getValue().asText());
            }
        }
        String stdin = text(p, "stdin");
        long pages = wholeNumber(p, "max_memory_pages", 1, 65_536);
        long fuel = wholeNumber(p, "fuel", 1, Long.MAX_VALUE);
        String mode = text(p, "mode");
        if (mode != null && !mode.equals("compiled") && !mode.equals("interpreted")) {
            throw bad("'mode' is 'compiled' (the default) or 'interpreted'; got '" + mode + "'");
        }
        boolean interpreted = fuel > 0 || "interpreted".equals(mode);
        if (fuel > 0 && "compiled".equals(mode)) {
            throw bad("'fuel' is counted by the interpreter only: drop 'mode': 'compiled' or the budget");
        }
        return new WasmJob(
                cid,
                inline,
                function,
                List.copyOf(params),
                List.copyOf(args),
                Map.copyOf(env),
                stdin == null ? new byte[0] : stdin.getBytes(StandardCharsets.UTF_8),
                (int) pages,
                fuel,
                interpreted);
    }

    private static byte[] inlineModule(JsonNode node) throws ExecutorException {
        if (!node.isTextual()) {
            throw bad("'module_base64' must be a base64 string");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(node.asText());
        } catch (IllegalArgumentException e) {
            throw bad("'module_base64' is not base64: " + e.getMessage());
        }
        if (bytes.length > MAX_INLINE_BYTES) {
            throw bad("'module_base64' holds " + bytes.length + " bytes; above " + MAX_INLINE_BYTES
                    + " store the module with 'mesh blob put FILE' and name it by \"module\": CID");
        }
        return bytes;
    }

    private static String text(JsonNode p, String field) throws ExecutorException {
        JsonNode n = p.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw bad("'" + field + "' must be a string");
        }
        return n.asText();
    }

    private static Iterable<JsonNode> array(JsonNode p, String field) throws ExecutorException {
        JsonNode n = p.get(field);
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw bad("'" + field + "' must be an array");
        }
        return n;
    }

    private static long wholeNumber(JsonNode p, String field, long min, long max) throws ExecutorException {
        JsonNode n = p.get(field);
        if (n == null || n.isNull()) {
            return 0;
        }
        if (!n.canConvertToLong() || !n.isIntegralNumber() || n.asLong() < min || n.asLong() > max) {
            throw bad("'" + field + "' must be a whole number in " + min + ".." + max + "; got " + n);
        }
        return n.asLong();
    }

    private static ExecutorException bad(String message) {
        return ExecutorException.invalidPayload("wasm: " + message);
    }
}
