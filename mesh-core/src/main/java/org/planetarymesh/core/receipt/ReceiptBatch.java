package org.planetarymesh.core.receipt;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.planetarymesh.core.identity.Ed25519;
import org.planetarymesh.core.identity.Signer;

/**
 * One signature over the receipts of a frame of compact {@code job_done}s (ADR 0105): the Merkle tree of their binary
 * CIDs in frame order ({@link MerkleTree}), signed as {@link SignedReceipt#signedBytes}. The agent signs; the coordinator
 * checks the signature once for the frame and gives each receipt its {@link SignedReceipt.Batch} (root, index, path),
 * so every stored receipt verifies alone exactly as one signed in the whole form does.
 */
public final class ReceiptBatch {

    private static final HexFormat HEX = HexFormat.of();

    private ReceiptBatch() {}

    /** The base64 signature by {@code signer} of the root over {@code binaryCids} (at least one). */
    public static String sign(List<byte[]> binaryCids, Signer signer) {
        byte[] root = MerkleTree.build(leaves(binaryCids)).root();
        return Base64.getEncoder().encodeToString(signer.sign(SignedReceipt.signedBytes(root)));
    }

    /**
     * Each receipt's batch, in order, if {@code signature} (base64) is the signature by {@code publicKey} of the root
     * over {@code binaryCids}; null if it is not.
     */
    public static List<SignedReceipt.Batch> verify(List<byte[]> binaryCids, byte[] publicKey, String signature) {
        MerkleTree.Tree tree = MerkleTree.build(leaves(binaryCids));
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (!Ed25519.verifies(publicKey, SignedReceipt.signedBytes(tree.root()), bytes)) {
            return null;
        }
        String root = HEX.formatHex(tree.root());
        List<SignedReceipt.Batch> batches = new ArrayList<>(binaryCids.size());
        for (int i = 0; i < binaryCids.size(); i++) {
            List<String> proof =
                    tree.paths().get(i).stream().map(HEX::formatHex).toList();
            batches.add(new SignedReceipt.Batch(root, i, binaryCids.size(), proof, signature));
        }
        return batches;
    }

    private static List<byte[]> leaves(List<byte[]> binaryCids) {
        List<byte[]> leaves = new ArrayList<>(binaryCids.size());
        for (byte[] cid : binaryCids) {
            leaves.add(MerkleTree.leaf(cid));
        }
        return leaves;
    }
}
