package org.planetarymesh.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import java.io.IOException;
import java.time.Instant;

/**
 * Instants as ISO-8601 text through {@link IsoInstant}, registered after Jackson's Java-time module so it takes over
 * {@link Instant}: the same text both ways, without {@code DateTimeFormatter}, whose parsing was the largest
 * allocation in reading a job (the bench client reads one per ended job). Anything {@link IsoInstant} does not read
 * (numbers, other forms) goes to Jackson's own deserializer, so what is accepted and how it is refused do not change.
 */
final class IsoInstantModule extends SimpleModule {

    IsoInstantModule() {
        super("planetary-mesh-instants");
        addSerializer(Instant.class, new Writer());
        addDeserializer(Instant.class, new Reader());
    }

    private static final class Writer extends StdScalarSerializer<Instant> {
        Writer() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator g, SerializerProvider provider) throws IOException {
            g.writeString(IsoInstant.format(value));
        }
    }

    private static final class Reader extends StdScalarDeserializer<Instant> {
        Reader() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                Instant at = IsoInstant.parseOrNull(p.getText());
                if (at != null) {
                    return at;
                }
            }
            return InstantDeserializer.INSTANT.deserialize(p, ctx);
        }
    }
}
