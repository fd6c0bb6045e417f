package org.planetarymesh.client;

import java.util.List;
import java.util.Map;

/**
 * The answer to a bulk retry: the ids retried, those matched but skipped (each with a reason), and whether more jobs
 * matched than the limit allowed (retry again for the next ones).
 */
public record BulkRetry(List<String> retried, int count, List<Map<String, String>> skipped, boolean more) {

    public BulkRetry {
        retried = retried == null ? List.of() : List.copyOf(retried);
        skipped = skipped == null ? List.of() : List.copyOf(skipped);
    }
}
