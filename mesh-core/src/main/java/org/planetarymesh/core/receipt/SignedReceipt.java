package org.planetarymesh.core.receipt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A receipt as it travels in {@code job_done.receipt} and is stored and exported: the receipt, its CID, and the
 * batch signature that covers it. The executor signs one Merkle root per batch of receipts ({@link ReceiptSigner});
 * {@code batch} holds that root, this receipt's position and path, and the signature, so the receipt verifies alone
 * ({@link ReceiptVerifier}). A batch of one is a root equal to the receipt's leaf and an empty path.
 */
public record SignedReceipt(ExecutionReceipt receipt, String cid, Batch batch) {

    /** Prefix of the signed bytes, so a receipt-batch signature can never be replayed as another kind. */
    public static final byte[] SIGNING_DOMAIN = "planetary-mesh receipt batch v1\n".getBytes(StandardCharsets.UTF_8);

    /** The batch: Merkle {@code root} (hex), this leaf's {@code index} of {@code count}, its {@code proof} (hex, bottom up), and the executor's Ed25519 {@code signature} (base64) of {@link #signedBytes}. */
    public record Batch(String root, int index, int count, List<String> proof, String signature) {
        public Batch {
            proof = proof == null ? List.of() : List.copyOf(proof);
        }
    }

    /** The bytes a batch signature covers: {@link #SIGNING_DOMAIN} followed by the 32-byte root. */
    public static byte[] signedBytes(byte[] root) {
        byte[] out = new byte[SIGNING_DOMAIN.length + root.length];
        System.arraycopy(SIGNING_DOMAIN, 0, out, 0, SIGNING_DOMAIN.length);
        System.arraycopy(root, 0, out, SIGNING_DOMAIN.length, root.length);
        return out;
    }

    /** As a JSON tree, built field by field (see {@link ExecutionReceipt#toJson}). */
    public JsonNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.set("receipt", receipt.toJson());
        node.put("cid", cid);
        ObjectNode b = node.putObject("batch");
        b.put("root", batch.root());
        b.put("index", batch.index());
        b.put("count", batch.count());
        var proof = b.putArray("proof");
        batch.proof().forEach(proof::add);
        b.put("signature", batch.signature());
        return node;
    }

    /**
     * The text of a signed receipt from the receipt's canonical bytes, its CID and its batch: the same document as
     * {@link #toJson}, written without a tree (the coordinator stores one per completed job). Hex, base64 and CIDs
     * need no escaping.
     */
    public static String json(byte[] canonicalReceipt, String cid, Batch batch) {
        StringBuilder out = new StringBuilder(
                canonicalReceipt.length + 200 + 67 * batch.proof().size());
        out.append("{\"receipt\":")
                .append(new String(canonicalReceipt, StandardCharsets.UTF_8))
                .append(",\"cid\":\"")
                .append(cid)
                .append("\",\"batch\":{\"root\":\"")
                .append(batch.root())
                .append("\",\"index\":")
                .append(batch.index())
                .append(",\"count\":")
                .append(batch.count())
                .append(",\"proof\":[");
        for (int i = 0; i < batch.proof().size(); i++) {
            out.append(i == 0 ? "\"" : ",\"").append(batch.proof().get(i)).append('"');
        }
        return out.append("],\"signature\":\"")
                .append(batch.signature())
                .append("\"}}")
                .toString();
    }
}
