package org.planetarymesh.coordinator.receipt;

import org.planetarymesh.core.job.JobSpec;
import org.planetarymesh.core.receipt.Canonical;
import org.planetarymesh.core.receipt.Cid;

/**
 * The CID of a job's canonical spec: RFC 8785 of the spec as {@code GET /v1/jobs/{id}} shows it (the shared mapper's
 * JSON of {@link JobSpec}, every field with its value, defaults included), json codec. {@code mesh receipt get}
 * saves that JSON, so anyone can recompute it.
 */
public final class SpecCid {

    private SpecCid() {}

    /** The spec's CID. */
    public static String of(JobSpec spec) {
        return Cid.of(Cid.Codec.JSON, Canonical.ofValue(spec));
    }
}
