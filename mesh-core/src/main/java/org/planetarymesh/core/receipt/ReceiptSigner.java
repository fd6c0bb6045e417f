package org.planetarymesh.core.receipt;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.planetarymesh.core.identity.Signer;

/** Signs a batch of receipts with one Ed25519 signature over their Merkle root. */
public final class ReceiptSigner {

    private static final HexFormat HEX = HexFormat.of();

    private ReceiptSigner() {}

    /** Each receipt of {@code receipts} (all by {@code signer}) signed as one batch, in the same order. */
    public static List<SignedReceipt> sign(List<ExecutionReceipt> receipts, Signer signer) {
        List<String> cids = new ArrayList<>(receipts.size());
        List<byte[]> leaves = new ArrayList<>(receipts.size());
        for (ExecutionReceipt receipt : receipts) {
            if (!signer.did().equals(receipt.executor())) {
                throw new IllegalArgumentException("receipt for job " + receipt.jobId() + " names executor "
                        + receipt.executor() + ", not the signer " + signer.did());
            }
            byte[] binary = Cid.binary(Cid.Codec.JSON, Cid.sha256(receipt.canonicalBytes()));
            cids.add("b" + Base32.encode(binary));
            leaves.add(MerkleTree.leaf(binary));
        }
        MerkleTree.Tree tree = MerkleTree.build(leaves);
        String root = HEX.formatHex(tree.root());
        String signature = Base64.getEncoder().encodeToString(signer.sign(SignedReceipt.signedBytes(tree.root())));
        List<SignedReceipt> signed = new ArrayList<>(receipts.size());
        for (int i = 0; i < receipts.size(); i++) {
            List<String> proof =
                    tree.paths().get(i).stream().map(HEX::formatHex).toList();
            signed.add(new SignedReceipt(
                    receipts.get(i), cids.get(i), new SignedReceipt.Batch(root, i, receipts.size(), proof, signature)));
        }
        return signed;
    }
}
