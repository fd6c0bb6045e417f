package org.planetarymesh.core.receipt;

import com.fasterxml.jackson.databind.node.TextNode;
import org.planetarymesh.core.identity.SigningKey;

/** Receipts by a fixed key, for tests. */
final class ReceiptFixtures {

    static final SigningKey NODE = SigningKey.fromSeed(new byte[32]);

    private ReceiptFixtures() {}

    static ExecutionReceipt receipt(String jobId, int attempt) {
        return new ExecutionReceipt(
                ExecutionReceipt.VERSION,
                jobId,
                Canonical.cid(TextNode.valueOf("spec of " + jobId)),
                attempt,
                NODE.did(),
                Canonical.cid(TextNode.valueOf("payload")),
                OutputDigest.ofResult(TextNode.valueOf("result of " + jobId)),
                "completed",
                "2026-12-07T21:00:00.000Z",
                "2026-12-07T21:00:00.004Z",
                new ExecutionReceipt.Usage(4, 0, 0));
    }
}
