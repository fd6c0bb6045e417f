package org.planetarymesh.core.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import org.planetarymesh.core.json.Json;

/**
 * Encodes {@link Message}s to JSON text frames and decodes frames back, refusing oversize frames, malformed JSON,
 * unknown types, other protocol versions, missing required fields and wrong JSON types with a
 * {@link ProtocolException} that names the field. Thread-safe.
 */
public final class MessageCodec {

    /** Default largest frame accepted: 1 MiB. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 1 << 20;

    private final ObjectMapper mapper = Json.mapper();
    private final int maxFrameBytes;

    public MessageCodec() {
        this(DEFAULT_MAX_FRAME_BYTES);
    }

    public MessageCodec(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    /** The frame for {@code message}, with its {@code type} and {@code v}. */
    public String encode(Message message) {
        ObjectNode tree = mapper.valueToTree(message);
        ObjectNode framed = mapper.createObjectNode();
        framed.set("type", tree.remove("type"));
        framed.put("v", Message.VERSION);
        framed.setAll(tree);
        try {
            return mapper.writeValueAsString(framed);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + message.getClass().getSimpleName(), e);
        }
    }

    /** The message in {@code frame}, or a {@link ProtocolException} saying precisely what is wrong with it. */
    public Message decode(String frame) {
        if (frame == null) {
            throw new ProtocolException("invalid_frame", "frame is empty");
        }
        // Cheap bound first (chars <= bytes), exact UTF-8 size only when it could matter.
        if (frame.length() > maxFrameBytes
                || (frame.length() * 3L > maxFrameBytes
                        && frame.getBytes(StandardCharsets.UTF_8).length > maxFrameBytes)) {
            throw new ProtocolException("frame_too_large", "frame is larger than " + maxFrameBytes + " bytes");
        }
        JsonNode tree = parse(frame);
        if (!tree.isObject()) {
            throw new ProtocolException("invalid_frame", "frame must be a JSON object");
        }
        JsonNode type = tree.get("type");
        if (type == null || type.isNull()) {
            throw new ProtocolException("missing_field", "frame has no 'type'");
        }
        if (!type.isTextual()) {
            throw new ProtocolException("wrong_type", "'type' must be a string");
        }
        JsonNode v = tree.get("v");
        if (v != null && !(v.isInt() && v.asInt() == Message.VERSION)) {
            throw new ProtocolException("unsupported_version", "protocol version " + v + " is not supported; use v 1");
        }
        try {
            return mapper.treeToValue(tree, Message.class);
        } catch (InvalidTypeIdException e) {
            throw new ProtocolException("unknown_type", "unknown message type '" + type.asText() + "'");
        } catch (MismatchedInputException e) {
            throw describe(type.asText(), e);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new ProtocolException("invalid_frame", type.asText() + ": " + e.getMessage());
        }
    }

    private JsonNode parse(String frame) {
        try {
            JsonNode tree = mapper.readTree(frame);
            if (tree == null || tree.isMissingNode()) {
                throw new ProtocolException("malformed_json", "frame is empty");
            }
            return tree;
        } catch (StreamConstraintsException e) {
            throw new ProtocolException("invalid_frame", "frame exceeds a parser limit: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new ProtocolException("malformed_json", "frame is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static ProtocolException describe(String type, MismatchedInputException e) {
        String path = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
        String original = e.getOriginalMessage();
        if (original.startsWith("Missing required creator property")) {
            String field = original.replaceAll("^Missing required creator property '([^']+)'.*$", "$1");
            return new ProtocolException("missing_field", type + ": missing required field '" + field + "'");
        }
        String expected = e.getTargetType() == null ? "another type" : jsonTypeName(e.getTargetType());
        return new ProtocolException("wrong_type", type + ": field '" + path + "' must be " + expected);
    }

    private static String jsonTypeName(Class<?> target) {
        if (target == int.class || target == long.class || target == Integer.class || target == Long.class) {
            return "an integer";
        }
        if (target == double.class || target == Double.class) {
            return "a number";
        }
        if (target == boolean.class || target == Boolean.class) {
            return "a boolean";
        }
        if (target == String.class) {
            return "a string";
        }
        if (java.util.Collection.class.isAssignableFrom(target)) {
            return "an array";
        }
        if (target == java.time.Instant.class) {
            return "an ISO-8601 instant";
        }
        return "an object";
    }

}
