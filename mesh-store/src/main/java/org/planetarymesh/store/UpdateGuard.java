package org.planetarymesh.store;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.planetarymesh.core.job.JobStatus;

/**
 * The statuses a stored job may be in for an update to status {@code next} to apply: those whose
 * {@link JobStatus#canTransitionTo} allows the move, plus {@code next} itself unless it is terminal (progress and
 * routing updates keep the status; a terminal job never changes again). Derived from {@link JobStatus}'s table so the
 * store cannot drift from it.
 *
 * <p>Every list is padded to the same length by repeating its last element, so one UPDATE statement with a fixed
 * {@code IN (?, ..)} serves every target status and a whole batch of updates shares one prepared statement.
 */
final class UpdateGuard {

    private static final Map<JobStatus, List<String>> FROM = build();

    /** How many {@code ?} the guard's IN list has. */
    static final int WIDTH =
            FROM.values().stream().mapToInt(List::size).max().orElseThrow();

    private UpdateGuard() {}

    /** The padded list of stored statuses from which a move to {@code next} is allowed. */
    static List<String> allowedFrom(JobStatus next) {
        return FROM.get(next);
    }

    /** {@code ?, ?, ..} with {@link #WIDTH} placeholders. */
    static String placeholders() {
        return String.join(", ", java.util.Collections.nCopies(WIDTH, "?"));
    }

    private static Map<JobStatus, List<String>> build() {
        Map<JobStatus, List<String>> raw = new EnumMap<>(JobStatus.class);
        int width = 0;
        for (JobStatus next : JobStatus.values()) {
            List<String> from = new ArrayList<>();
            for (JobStatus stored : JobStatus.values()) {
                if (stored.canTransitionTo(next) || (stored == next && !next.isTerminal())) {
                    from.add(stored.name());
                }
            }
            raw.put(next, from);
            width = Math.max(width, from.size());
        }
        Map<JobStatus, List<String>> padded = new EnumMap<>(JobStatus.class);
        for (Map.Entry<JobStatus, List<String>> e : raw.entrySet()) {
            List<String> from = new ArrayList<>(e.getValue());
            // A target nothing may reach (none today) still needs a value that matches no stored status.
            String filler = from.isEmpty() ? "" : from.getLast();
            while (from.size() < width) {
                from.add(filler);
            }
            padded.put(e.getKey(), List.copyOf(from));
        }
        return padded;
    }
}
