package org.planetarymesh.core.job;

/** Where a job may run: the coordinator's own machine, the wider network, or either. */
public enum Scope {
    LOCAL,
    NETWORK,
    HYBRID
}
