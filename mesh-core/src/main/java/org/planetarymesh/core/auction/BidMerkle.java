package org.planetarymesh.core.auction;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * One signature for a frame of bids. An agent answers a frame of announcements with one bid each; signing each costs
 * an Ed25519 signature (and the coordinator a verification) per bid, so it signs once, the Merkle root over the bids'
 * canonical forms, and gives each bid the path from its own leaf to that root. Each bid still verifies alone: rebuild
 * the root from its canonical form and its proof, check the signature over the root.
 *
 * <p>Leaves are SHA-256 of {@code 0x00} and the canonical form, inner nodes SHA-256 of {@code 0x01} and the two
 * children (so a leaf can never pass for a node); an odd node at the end of a level moves up unchanged. A proof is the
 * list of siblings from the leaf up, each {@code L} or {@code R} (the sibling's side) and its base64url hash. The
 * signed text is {@code bid-root:} and the root in base64url, which no canonical bid (a JSON object) can equal.
 */
public final class BidMerkle {

    /** Longer proofs than this are refused: 2^32 bids in one frame is not a frame. */
    public static final int MAX_PROOF = 32;

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private BidMerkle() {}

    /** The leaf of a bid's canonical form. */
    public static byte[] leaf(String canonical) {
        MessageDigest sha = sha256();
        sha.update((byte) 0);
        sha.update(canonical.getBytes(StandardCharsets.UTF_8));
        return sha.digest();
    }

    /** The root over {@code leaves} (at least one). */
    public static byte[] root(List<byte[]> leaves) {
        List<byte[]> level = leaves;
        while (level.size() > 1) {
            level = up(level);
        }
        return level.getFirst();
    }

    /** The path from leaf {@code index} to the root. */
    public static List<String> proof(List<byte[]> leaves, int index) {
        List<String> path = new ArrayList<>();
        List<byte[]> level = leaves;
        int i = index;
        while (level.size() > 1) {
            if (i % 2 == 1) {
                path.add("L" + B64.encodeToString(level.get(i - 1)));
            } else if (i + 1 < level.size()) {
                path.add("R" + B64.encodeToString(level.get(i + 1)));
            }
            level = up(level);
            i /= 2;
        }
        return path;
    }

    /** The root {@code proof} leads to from {@code leaf}; throws {@link IllegalArgumentException} if malformed. */
    public static byte[] rootFrom(byte[] leaf, List<String> proof) {
        if (proof.size() > MAX_PROOF) {
            throw new IllegalArgumentException("a bid's proof has " + proof.size() + " steps, at most " + MAX_PROOF);
        }
        byte[] hash = leaf;
        for (String step : proof) {
            if (step == null || step.length() < 2 || (step.charAt(0) != 'L' && step.charAt(0) != 'R')) {
                throw new IllegalArgumentException("a proof step must be L or R and a base64url hash");
            }
            byte[] sibling = B64D.decode(step.substring(1));
            if (sibling.length != 32) {
                throw new IllegalArgumentException("a proof step's hash must be 32 bytes");
            }
            hash = step.charAt(0) == 'L' ? node(sibling, hash) : node(hash, sibling);
        }
        return hash;
    }

    /** The text whose signature vouches for every bid under {@code root}. */
    public static String signedText(byte[] root) {
        return "bid-root:" + B64.encodeToString(root);
    }

    private static List<byte[]> up(List<byte[]> level) {
        List<byte[]> next = new ArrayList<>((level.size() + 1) / 2);
        for (int i = 0; i < level.size(); i += 2) {
            next.add(i + 1 < level.size() ? node(level.get(i), level.get(i + 1)) : level.get(i));
        }
        return next;
    }

    private static byte[] node(byte[] left, byte[] right) {
        MessageDigest sha = sha256();
        sha.update((byte) 1);
        sha.update(left);
        sha.update(right);
        return sha.digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
