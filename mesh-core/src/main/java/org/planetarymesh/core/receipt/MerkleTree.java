package org.planetarymesh.core.receipt;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * A binary SHA-256 Merkle tree over receipt CIDs, so one signature covers a batch and each receipt still verifies
 * alone with its path. Leaves and inner nodes are domain-separated as in RFC 6962 ({@code 00 || leaf},
 * {@code 01 || left || right}); on a level of odd size the last node moves up unpaired. A path is checked with the
 * leaf's index and the batch's size, which say at each level whether there is a sibling and on which side.
 */
public final class MerkleTree {

    private MerkleTree() {}

    /** The leaf hash of a receipt's binary CID. */
    public static byte[] leaf(byte[] binaryCid) {
        MessageDigest sha = Cid.newSha256();
        sha.update((byte) 0x00);
        return sha.digest(binaryCid);
    }

    private static byte[] node(byte[] left, byte[] right) {
        MessageDigest sha = Cid.newSha256();
        sha.update((byte) 0x01);
        sha.update(left);
        return sha.digest(right);
    }

    /** The root and each leaf's path, for a non-empty list of leaves. */
    public static Tree build(List<byte[]> leaves) {
        if (leaves.isEmpty()) {
            throw new IllegalArgumentException("a Merkle tree needs at least one leaf");
        }
        List<List<byte[]>> paths = new ArrayList<>(leaves.size());
        int[] position = new int[leaves.size()];
        for (int i = 0; i < leaves.size(); i++) {
            paths.add(new ArrayList<>());
            position[i] = i;
        }
        List<byte[]> level = leaves;
        while (level.size() > 1) {
            for (int i = 0; i < leaves.size(); i++) {
                int at = position[i];
                int sibling = at ^ 1;
                if (sibling < level.size()) {
                    paths.get(i).add(level.get(sibling));
                }
                position[i] = at / 2;
            }
            List<byte[]> up = new ArrayList<>((level.size() + 1) / 2);
            for (int i = 0; i < level.size(); i += 2) {
                up.add(i + 1 < level.size() ? node(level.get(i), level.get(i + 1)) : level.get(i));
            }
            level = up;
        }
        return new Tree(level.getFirst(), paths);
    }

    /**
     * The root that {@code leaf} at {@code index} of {@code count} leaves and its {@code path} lead to; throws
     * {@link IllegalArgumentException} if the path has the wrong length for that position.
     */
    public static byte[] rootFrom(byte[] leaf, int index, int count, List<byte[]> path) {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("leaf index " + index + " is outside a batch of " + count);
        }
        byte[] hash = leaf;
        int used = 0;
        for (int at = index, size = count; size > 1; at /= 2, size = (size + 1) / 2) {
            int sibling = at ^ 1;
            if (sibling >= size) {
                continue; // the last node of an odd level moves up unpaired
            }
            if (used == path.size()) {
                throw new IllegalArgumentException(
                        "the inclusion proof is too short for leaf " + index + " of " + count);
            }
            byte[] other = path.get(used++);
            hash = (at & 1) == 0 ? node(hash, other) : node(other, hash);
        }
        if (used != path.size()) {
            throw new IllegalArgumentException("the inclusion proof is too long for leaf " + index + " of " + count);
        }
        return hash;
    }

    /** A built tree: its root, and for each leaf the sibling hashes from the bottom up. */
    public record Tree(byte[] root, List<List<byte[]>> paths) {}
}
