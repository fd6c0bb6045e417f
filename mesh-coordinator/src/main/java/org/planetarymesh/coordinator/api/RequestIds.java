package org.planetarymesh.coordinator.api;

import io.javalin.http.Context;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * The {@code X-Request-Id} of every answer: the caller's own, if it sent a sensible one, else a new one (this
 * process's random prefix and a counter: unique per coordinator run, and cheaper than a random UUID per request,
 * whose SecureRandom would be a shared lock on the submit path). It is also
 * put in the logging context ({@code request_id}) while the request is handled, so a user's report and the
 * coordinator's log meet on one id.
 */
final class RequestIds {

    static final String HEADER = "X-Request-Id";
    static final String MDC_KEY = "request_id";

    /** What a caller's id may be: short and printable, so it cannot forge log lines or bloat them. */
    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private static final String PREFIX = Long.toHexString(new java.security.SecureRandom().nextLong() >>> 16) + "-";
    private static final AtomicLong NEXT = new AtomicLong();

    private RequestIds() {}

    static void assign(Context ctx) {
        String given = ctx.header(HEADER);
        String id = given != null && ACCEPTED.matcher(given).matches()
                ? given
                : PREFIX + Long.toHexString(NEXT.incrementAndGet());
        ctx.header(HEADER, id);
        MDC.put(MDC_KEY, id);
    }

    static void clear(Context ctx) {
        MDC.remove(MDC_KEY);
    }
}
