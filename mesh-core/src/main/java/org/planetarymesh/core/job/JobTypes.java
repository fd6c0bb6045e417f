package org.planetarymesh.core.job;

import java.util.Map;
import java.util.Optional;

/**
 * Job types the design names but no build of the mesh can run yet. The coordinator refuses them at submit rather
 * than queue a job that would wait forever; the work that adds an executor for one removes it here.
 */
public final class JobTypes {

    private static final Map<String, String> NOT_RUNNABLE_YET = Map.of();

    private JobTypes() {}

    /** Why no mesh can run {@code type} yet, or empty when some executor may run it. */
    public static Optional<String> notRunnableYet(String type) {
        return Optional.ofNullable(NOT_RUNNABLE_YET.get(type));
    }
}
