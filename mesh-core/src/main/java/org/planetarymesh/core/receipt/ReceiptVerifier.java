package org.planetarymesh.core.receipt;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.planetarymesh.core.identity.DidKey;
import org.planetarymesh.core.identity.Ed25519;

/**
 * Checks a signed receipt on its own, with nothing but the receipt: its CID is the CID of its canonical form, the
 * executor is an Ed25519 did:key, the inclusion proof leads from the CID to the batch root, and the batch signature
 * over that root verifies with the executor's key. It does not know the job: comparing the spec and output CIDs with
 * the real spec and output is the caller's part ({@link #checkDigests}).
 *
 * <p>An instance remembers the last batch signatures it verified, so the receipts of one batch (one frame) cost one
 * Ed25519 verification between them. Not thread-safe: one per connection or per thread.
 */
public final class ReceiptVerifier {

    private static final HexFormat HEX = HexFormat.of();
    private static final int REMEMBERED = 64;

    private final Map<String, Boolean> verifiedBatches = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    };

    /** The outcome: valid with the receipt and its CID, or the first check that failed. */
    public record Verdict(boolean valid, String problem, ExecutionReceipt receipt, String cid) {
        static Verdict invalid(String problem) {
            return new Verdict(false, problem, null, null);
        }
    }

    /** Verifies one signed receipt (the JSON of {@link SignedReceipt}) without remembering anything. */
    public static Verdict verifyOnce(JsonNode signed) {
        return new ReceiptVerifier().verify(signed);
    }

    /** Verifies one signed receipt, reusing a batch signature this verifier already checked. */
    public Verdict verify(JsonNode signed) {
        if (signed == null || !signed.isObject()) {
            return Verdict.invalid("a signed receipt is a JSON object with receipt, cid and batch");
        }
        JsonNode receiptNode = signed.get("receipt");
        JsonNode batch = signed.get("batch");
        if (receiptNode == null || !receiptNode.isObject() || batch == null || !batch.isObject()) {
            return Verdict.invalid("a signed receipt needs the objects receipt and batch");
        }
        ExecutionReceipt receipt;
        try {
            receipt = ExecutionReceipt.fromJson(receiptNode);
        } catch (IllegalArgumentException e) {
            return Verdict.invalid(e.getMessage());
        }
        if (receipt.v() != ExecutionReceipt.VERSION) {
            return Verdict.invalid(
                    "receipt.v is " + receipt.v() + "; this build reads version " + ExecutionReceipt.VERSION);
        }
        byte[] binaryCid = Cid.binary(Cid.Codec.JSON, Cid.sha256(Canonical.of(receiptNode)));
        String cid = "b" + Base32.encode(binaryCid);
        if (!cid.equals(signed.path("cid").asText())) {
            return Verdict.invalid("cid does not match the receipt's content: the receipt hashes to " + cid);
        }
        byte[] key;
        try {
            key = DidKey.toEd25519(receipt.executor());
        } catch (IllegalArgumentException e) {
            return Verdict.invalid("receipt.executor: " + e.getMessage());
        }
        byte[] root;
        try {
            List<byte[]> proof = new ArrayList<>();
            for (JsonNode step : batch.path("proof")) {
                proof.add(HEX.parseHex(step.asText()));
            }
            byte[] computed = MerkleTree.rootFrom(
                    MerkleTree.leaf(binaryCid),
                    batch.path("index").asInt(-1),
                    batch.path("count").asInt(0),
                    proof);
            root = HEX.parseHex(batch.path("root").asText());
            if (!Arrays.equals(computed, root)) {
                return Verdict.invalid("batch.proof does not lead from the receipt's cid to batch.root");
            }
        } catch (IllegalArgumentException e) {
            return Verdict.invalid("batch: " + e.getMessage());
        }
        String signature = batch.path("signature").asText();
        if (!signatureHolds(receipt.executor(), key, root, signature)) {
            return Verdict.invalid("batch.signature is not " + receipt.executor() + "'s signature of batch.root");
        }
        return new Verdict(true, null, receipt, cid);
    }

    private boolean signatureHolds(String did, byte[] key, byte[] root, String signature) {
        String remembered = did + ' ' + HEX.formatHex(root) + ' ' + signature;
        if (verifiedBatches.containsKey(remembered)) {
            return true;
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            return false;
        }
        boolean holds = Ed25519.verifies(key, SignedReceipt.signedBytes(root), bytes);
        if (holds) {
            verifiedBatches.put(remembered, Boolean.TRUE);
        }
        return holds;
    }

    /**
     * Compares a valid receipt with the job it claims to be about; null when everything given matches, else what
     * does not. A null expectation is not checked.
     */
    public static String checkDigests(ExecutionReceipt receipt, String specCid, String outputCid) {
        if (specCid != null && !specCid.equals(receipt.specCid())) {
            return "receipt.spec_cid " + receipt.specCid() + " is not the job's spec " + specCid;
        }
        if (outputCid != null && !outputCid.equals(receipt.outputCid())) {
            return "receipt.output_cid " + receipt.outputCid() + " is not the output received " + outputCid;
        }
        return null;
    }
}
