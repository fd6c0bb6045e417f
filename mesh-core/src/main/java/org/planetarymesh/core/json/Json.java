package org.planetarymesh.core.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/** The one JSON configuration every process uses: snake_case, ISO-8601 instants, nulls omitted. */
public final class Json {

    /** Deepest nesting accepted anywhere; hostile input past it is refused before it costs memory. */
    public static final int MAX_NESTING_DEPTH = 64;

    private static final ObjectMapper MAPPER = newMapper();

    /**
     * For documents from outside (request bodies): a repeated key or anything after the document is an error, not
     * last-wins or ignored, so what was checked is what runs.
     */
    private static final ObjectReader STRICT_READER = MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);

    private Json() {}

    /** The shared, thread-safe mapper. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** The shared mapper's reader that refuses duplicate keys and trailing content after the document. */
    public static ObjectReader strictReader() {
        return STRICT_READER;
    }

    /** The size of {@code value} as compact UTF-8 JSON, counted as it is written rather than kept as text. */
    public static long encodedLength(Object value) {
        var counter = new OutputStream() {
            long count;

            @Override
            public void write(int b) {
                count++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                count += len;
            }
        };
        try {
            MAPPER.writeValue(counter, value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + value.getClass().getSimpleName(), e);
        }
        return counter.count;
    }

    /** A fresh mapper with the project's settings, for callers that must tune it further. */
    public static ObjectMapper newMapper() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxNumberLength(100)
                        .build())
                // Jackson's default pool keeps a parser's or generator's 8-16 KB of buffers per thread; every request
                // and WebSocket message runs on a new virtual thread, so it allocated them afresh each time.
                .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
                .build();
        return JsonMapper.builder(factory)
                .addModule(new JavaTimeModule())
                .addModule(new IsoInstantModule())
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .build();
    }
}
