package org.planetarymesh.agent.executor;

import java.util.Locale;

/** Which of the capability router's rules picked an executor, in the order they are tried. */
public enum RouteRule {
    EXACT,
    PARTIAL,
    CATEGORY,
    FALLBACK;

    /** The name reported in {@code job_done.route_rule}: {@code exact}, {@code partial}, ... */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
