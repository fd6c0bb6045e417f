package org.planetarymesh.core.auction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.planetarymesh.core.protocol.Message;

/** What a bid's signature covers, alone or under a frame's Merkle root, and that a changed byte breaks it. */
class BidSigningTest {

    @Test
    void theCanonicalFormIsSortedCompactJsonOfTheSignedFields() {
        assertThat(BidSigning.canonical("job-1", "did:key:z6Mk", "n\"1", 12, 40, 3))
                .isEqualTo("{\"eta_ms\":40,\"free_slots\":3,\"job_id\":\"job-1\",\"node_id\":\"did:key:z6Mk\","
                        + "\"nonce\":\"n\\\"1\",\"price\":12}");
    }

    @Test
    void aSignatureVerifiesWithItsKeyAndNotForAnotherPriceOrKey() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] raw = raw(keys);
        String text = BidSigning.canonical("job-1", "did:key:a", "nonce", 12, 40, 3);
        String signature = sign(keys, text);

        assertThat(BidSigning.verifies(raw, text, signature)).isTrue();
        assertThat(BidSigning.verifies(raw, BidSigning.canonical("job-1", "did:key:a", "nonce", 11, 40, 3), signature))
                .isFalse();
        KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        assertThat(BidSigning.verifies(raw(other), text, signature)).isFalse();
        assertThat(BidSigning.verifies(raw, text, "not base64!")).isFalse();
        assertThat(BidSigning.verifies(raw, text, null)).isFalse();
    }

    @Test
    void everyBidOfAFrameVerifiesAloneThroughItsProofToTheSignedRoot() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        for (int n = 2; n <= 9; n++) { // a lone bid has no proof and is signed by itself
            List<Message.JobBid> unsigned = new ArrayList<>();
            List<byte[]> leaves = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Message.JobBid bid = new Message.JobBid("job-" + i, i, 5, null, null, "nonce-" + i, 2);
                unsigned.add(bid);
                leaves.add(BidMerkle.leaf(BidSigning.canonical(bid, "did:key:a")));
            }
            String signature = sign(keys, BidMerkle.signedText(BidMerkle.root(leaves)));
            for (int i = 0; i < n; i++) {
                Message.JobBid b = unsigned.get(i);
                Message.JobBid bid = new Message.JobBid(
                        b.jobId(), b.price(), b.etaMs(), null, signature, b.nonce(), 2, BidMerkle.proof(leaves, i));
                String signed = BidSigning.signedText(bid, "did:key:a");
                assertThat(BidSigning.verifies(raw(keys), signed, signature))
                        .as("bid %d of %d", i, n)
                        .isTrue();
                Message.JobBid cheaper = new Message.JobBid(
                        b.jobId(), b.price() + 1, b.etaMs(), null, signature, b.nonce(), 2, bid.proof());
                assertThat(BidSigning.verifies(raw(keys), BidSigning.signedText(cheaper, "did:key:a"), signature))
                        .isFalse();
                assertThat(BidSigning.verifies(raw(keys), BidSigning.signedText(bid, "did:key:b"), signature))
                        .as("another node cannot claim it")
                        .isFalse();
            }
        }
    }

    @Test
    void aMalformedProofIsRefused() {
        byte[] leaf = BidMerkle.leaf("{}");
        assertThatThrownBy(() -> BidMerkle.rootFrom(leaf, List.of("Xabc")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BidMerkle.rootFrom(leaf, List.of("Labc")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(BidMerkle.signedText(leaf)).startsWith("bid-root:");
    }

    private static byte[] raw(KeyPair keys) {
        byte[] encoded = keys.getPublic().getEncoded();
        return Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
    }

    private static String sign(KeyPair keys, String text) throws Exception {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(keys.getPrivate());
        s.update(text.getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(s.sign());
    }
}
