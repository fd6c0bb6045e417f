package org.planetarymesh.client;

import java.util.Base64;
import org.planetarymesh.core.job.JobEvent;

/** Decodes the streamed output carried by {@code chunk} events (base64 on the wire). */
public final class Chunks {

    private Chunks() {}

    /** The bytes of a chunk event; empty for any other event. */
    public static byte[] bytes(JobEvent event) {
        if (event.kind() != JobEvent.Kind.CHUNK || event.data() == null) {
            return new byte[0];
        }
        return Base64.getDecoder().decode(event.data());
    }
}
