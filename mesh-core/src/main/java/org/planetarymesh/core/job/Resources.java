package org.planetarymesh.core.job;

/** Compute a job needs or a node offers. Zero means "no requirement" / "not advertised". */
public record Resources(double cpu, long memoryMb, int gpus) {
    public static final Resources NONE = new Resources(0, 0, 0);

    /** Whether a node offering {@code this} can host a job needing {@code need}. */
    public boolean covers(Resources need) {
        return cpu >= need.cpu && memoryMb >= need.memoryMb && gpus >= need.gpus;
    }
}
