package org.planetarymesh.store;

/**
 * One replica of a verified job as stored ({@code job_replicas}): the job it verifies, its number (1..k), the ordinary
 * job that runs it, and the coordinator's JSON document of what it learnt (node, output CID, result, verdict).
 */
public record StoredReplica(String jobId, int replica, String replicaJobId, String document) {}
