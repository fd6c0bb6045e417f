package org.planetarymesh.client;

import java.util.List;
import org.planetarymesh.core.job.Job;

/** One page of {@link MeshClient#list}: jobs newest first, and the cursor of the next page (null on the last one). */
public record JobPage(List<Job> jobs, String nextCursor) {

    public JobPage {
        jobs = jobs == null ? List.of() : List.copyOf(jobs);
    }

    /** Whether another page follows this one. */
    public boolean hasMore() {
        return nextCursor != null && !nextCursor.isEmpty();
    }
}
