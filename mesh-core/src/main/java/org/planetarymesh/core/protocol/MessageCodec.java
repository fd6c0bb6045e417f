package org.planetarymesh.core.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
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

    private static final ObjectMapper MAPPER = strictMapper();
    private static final ObjectReader TREE_READER = MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    private static final Map<String, Class<?>> TYPES = Arrays.stream(
                    Message.class.getAnnotation(JsonSubTypes.class).value())
            .collect(Collectors.toUnmodifiableMap(JsonSubTypes.Type::name, JsonSubTypes.Type::value));

    /** The {@link ProtocolException#code()} of a batch that carries a {@code hello}. */
    public static final String HELLO_IN_BATCH = "hello_in_batch";

    /** The {@code type} of a frame that carries several messages (see {@link #encodeBatch}). */
    public static final String BATCH_TYPE = "batch";

    private static final String VERSION_FIELD = ",\"v\":" + Message.VERSION;
    private static final String BATCH_PREFIX =
            "{\"type\":\"" + BATCH_TYPE + "\",\"v\":" + Message.VERSION + ",\"messages\":[";

    private final ObjectMapper mapper = MAPPER;
    private final int maxFrameBytes;

    /**
     * The project mapper made strict about JSON types: a frame saying {@code "attempt": "3"} or {@code "seq": 1.5} is
     * a sender bug to report, not something to guess at. Absent optional numbers and booleans read as 0 and false;
     * required ones are checked by {@link RequiredFields} before binding, so that relaxation hides nothing.
     */
    private static ObjectMapper strictMapper() {
        ObjectMapper strict = Json.newMapper();
        strict.disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        strict.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        strict.coercionConfigFor(LogicalType.Integer)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        strict.coercionConfigFor(LogicalType.Float)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        strict.coercionConfigFor(LogicalType.Boolean)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        strict.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return strict;
    }

    public MessageCodec() {
        this(DEFAULT_MAX_FRAME_BYTES);
    }

    public MessageCodec(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    /** The frame for {@code message}, with its {@code type} and {@code v}. */
    public String encode(Message message) {
        String json;
        try {
            json = mapper.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "cannot encode " + message.getClass().getSimpleName(), e);
        }
        // Jackson writes the type id first ({"type":"x",...}); "v" goes right after it, in one pass over the record.
        int afterType = json.indexOf('"', json.indexOf(':') + 2) + 1;
        return json.substring(0, afterType) + VERSION_FIELD + json.substring(afterType);
    }

    /**
     * One frame carrying {@code messages} in order: the message itself when there is one, otherwise a {@value
     * #BATCH_TYPE} envelope {@code {"type":"batch","v":1,"messages":[...]}}. Batching is how both ends keep frames,
     * wake-ups and syscalls per job low under load; the caller keeps the frame under the receiver's size limit.
     */
    public String encodeBatch(List<Message> messages) {
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one message");
        }
        List<String> encoded = new ArrayList<>(messages.size());
        for (Message message : messages) {
            encoded.add(encode(message));
        }
        return batchFrame(encoded);
    }

    /**
     * {@link #encodeBatch} for messages already encoded with {@link #encode} (a sender that must measure each one
     * first): the message itself when there is one, otherwise the {@value #BATCH_TYPE} envelope around them.
     */
    public static String batchFrame(List<String> encodedMessages) {
        if (encodedMessages.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one message");
        }
        if (encodedMessages.size() == 1) {
            return encodedMessages.getFirst();
        }
        int length = BATCH_PREFIX.length() + 2;
        for (String m : encodedMessages) {
            length += m.length() + 1;
        }
        StringBuilder frame = new StringBuilder(length).append(BATCH_PREFIX);
        for (int i = 0; i < encodedMessages.size(); i++) {
            frame.append(i == 0 ? "" : ",").append(encodedMessages.get(i));
        }
        return frame.append("]}").toString();
    }

    /** Characters a {@link #batchFrame} adds around its messages: the envelope, plus one separator per message. */
    public static int batchOverhead(int messages) {
        return messages <= 1 ? 0 : BATCH_PREFIX.length() + 2 + messages - 1;
    }

    /**
     * The messages in {@code frame}: one for a plain message, each in order for a {@value #BATCH_TYPE} envelope. A
     * batch is accepted or refused whole; an error in one of its messages names it ({@code messages[3]: ...}).
     */
    public List<Message> decodeFrame(String frame) {
        JsonNode tree = parseWithinLimit(frame);
        JsonNode type = tree.isObject() ? tree.get("type") : null;
        if (type == null || !type.isTextual() || !BATCH_TYPE.equals(type.asText())) {
            return List.of(decodeTree(tree));
        }
        checkVersion(tree);
        JsonNode messages = tree.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw new ProtocolException("missing_field", "batch: 'messages' must be a non-empty array of messages");
        }
        List<Message> decoded = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            JsonNode element = messages.get(i);
            if (element.isObject() && BATCH_TYPE.equals(element.path("type").asText())) {
                throw new ProtocolException(
                        "invalid_frame", "batch: messages[" + i + "] is a batch; batches do not nest");
            }
            Message message;
            try {
                message = decodeTree(element);
            } catch (ProtocolException e) {
                throw new ProtocolException(e.code(), "batch: messages[" + i + "]: " + e.getMessage());
            }
            if (message instanceof Message.Hello) {
                // A hello opens a connection and is answered with the key challenge: it has no place among reports.
                throw new ProtocolException(
                        HELLO_IN_BATCH,
                        "batch: messages[" + i + "] is a hello; a hello travels alone, in its own frame");
            }
            decoded.add(message);
        }
        return decoded;
    }

    /** The message in {@code frame}, or a {@link ProtocolException} saying precisely what is wrong with it. */
    public Message decode(String frame) {
        return decodeTree(parseWithinLimit(frame));
    }

    private JsonNode parseWithinLimit(String frame) {
        if (frame == null) {
            throw new ProtocolException("malformed_json", "frame is empty");
        }
        // Cheap bound first (chars <= bytes), exact UTF-8 size only when it could matter.
        if (frame.length() * 3L > maxFrameBytes) {
            long bytes = utf8Length(frame);
            if (bytes > maxFrameBytes) {
                throw new ProtocolException(
                        "frame_too_large", "frame is " + bytes + " bytes, more than the limit of " + maxFrameBytes);
            }
        }
        return parse(frame);
    }

    private static void checkVersion(JsonNode tree) {
        JsonNode v = tree.get("v");
        if (v != null && !(v.isInt() && v.asInt() == Message.VERSION)) {
            throw new ProtocolException("unsupported_version", "protocol version " + v + " is not supported; use v 1");
        }
    }

    private Message decodeTree(JsonNode tree) {
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
        checkVersion(tree);
        Class<?> recordType = TYPES.get(type.asText());
        if (recordType == null) {
            throw new ProtocolException("unknown_type", "unknown message type '" + type.asText() + "'");
        }
        RequiredFields.check(type.asText(), recordType, tree);
        Message plain = PlainMessageBinder.bind(type.asText(), tree);
        return plain != null ? plain : bindWithMapper(type.asText(), tree);
    }

    /**
     * The message in {@code tree} (checked for type, version and required fields) as the strict mapper binds it, or
     * the {@link ProtocolException} that names what is wrong. Package-private for {@code PlainMessageBinderTest}.
     */
    static Message bindWithMapper(String type, JsonNode tree) {
        try {
            return MAPPER.treeToValue(tree, Message.class);
        } catch (InvalidTypeIdException e) {
            throw new ProtocolException("unknown_type", "unknown message type '" + type + "'");
        } catch (MismatchedInputException e) {
            throw BindingErrors.describe(type, e);
        } catch (JsonMappingException e) {
            if (e.getCause() instanceof InputCoercionException overflow) {
                boolean isInt = overflow.getTargetType() == int.class || overflow.getTargetType() == Integer.class;
                throw new ProtocolException(
                        "wrong_type",
                        type + ": field '" + BindingErrors.path(e) + "' must be an integer between "
                                + (isInt
                                        ? Integer.MIN_VALUE + " and " + Integer.MAX_VALUE
                                        : Long.MIN_VALUE + " and " + Long.MAX_VALUE));
            }
            throw new ProtocolException("invalid_frame", type + ": " + e.getOriginalMessage());
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new ProtocolException("invalid_frame", type + ": " + e.getMessage());
        }
    }

    private static JsonNode parse(String frame) {
        JsonNode tree;
        try {
            tree = TREE_READER.readTree(frame);
        } catch (StreamConstraintsException e) {
            if (e.getOriginalMessage().contains("nesting depth")) {
                throw new ProtocolException(
                        "invalid_frame", "frame nests deeper than " + Json.MAX_NESTING_DEPTH + " levels");
            }
            throw new ProtocolException("invalid_frame", "frame exceeds a parser limit: " + e.getOriginalMessage());
        } catch (JsonEOFException e) {
            throw new ProtocolException("malformed_json", "frame is not valid JSON: it ends in the middle of a value");
        } catch (MismatchedInputException e) {
            // only raised here by FAIL_ON_TRAILING_TOKENS: two documents, or garbage after one
            throw new ProtocolException("malformed_json", "frame has content after its JSON object");
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new ProtocolException(
                    "malformed_json", "frame is not valid JSON" + where + ": " + e.getOriginalMessage());
        }
        if (tree == null || tree.isMissingNode()) {
            throw new ProtocolException("malformed_json", "frame is empty");
        }
        // A lone surrogate cannot be written as UTF-8: it would break every store and peer that sees it later.
        if (frame.contains("\\u") || Surrogates.hasUnpaired(frame)) {
            String path = Surrogates.unpairedPath(tree, "");
            if (path != null) {
                throw new ProtocolException(
                        "malformed_json", "frame is not valid JSON: '" + path + "' has an unpaired UTF-16 surrogate");
            }
        }
        return tree;
    }

    /** UTF-8 size of {@code text} without encoding it (an unpaired surrogate counts as the 3-byte replacement). */
    public static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
