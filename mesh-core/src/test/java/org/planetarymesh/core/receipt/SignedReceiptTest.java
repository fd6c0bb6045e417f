package org.planetarymesh.core.receipt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.planetarymesh.core.identity.SigningKey;
import org.planetarymesh.core.json.Json;

/** Batch-signed receipts verify alone, and any change to one does not. */
class SignedReceiptTest {

    private static List<ExecutionReceipt> receipts(int n) {
        return IntStream.range(0, n)
                .mapToObj(i -> ReceiptFixtures.receipt("job-" + i, 1))
                .toList();
    }

    @Test
    void everyReceiptOfBatchesOfEverySizeVerifiesAlone() {
        for (int n = 1; n <= 17; n++) {
            List<SignedReceipt> signed = ReceiptSigner.sign(receipts(n), ReceiptFixtures.NODE);
            for (SignedReceipt receipt : signed) {
                ReceiptVerifier.Verdict verdict = ReceiptVerifier.verifyOnce(roundTrip(receipt.toJson()));
                assertThat(verdict.valid())
                        .as("batch of %d, leaf %d: %s", n, receipt.batch().index(), verdict.problem())
                        .isTrue();
                assertThat(verdict.cid()).isEqualTo(receipt.receipt().cid());
            }
        }
    }

    @Test
    void flippingAnyByteOfASignedReceiptFailsVerification() {
        SignedReceipt signed =
                ReceiptSigner.sign(receipts(5), ReceiptFixtures.NODE).get(2);
        byte[] text = signed.toJson().toString().getBytes(StandardCharsets.UTF_8);
        int refused = 0;
        for (int i = 0; i < text.length; i++) {
            byte[] changed = text.clone();
            changed[i] = (byte) (changed[i] ^ 0x01);
            JsonNode node;
            try {
                node = Json.mapper().readTree(changed);
            } catch (Exception notJson) {
                refused++;
                continue; // a verifier given this text refuses it as JSON before anything else
            }
            if (!node.equals(signed.toJson())
                    && !ReceiptVerifier.verifyOnce(node).valid()) {
                refused++;
            } else if (node.equals(signed.toJson())) {
                refused++; // the flip changed only insignificant text (cannot happen in compact JSON, kept honest)
            }
        }
        assertThat(refused)
                .as("every one of %d flipped bytes is refused", text.length)
                .isEqualTo(text.length);
    }

    @Test
    void aReceiptSignedByAnotherKeyOrMovedToAnotherBatchIsRefused() {
        SigningKey other = SigningKey.fromSeed(new byte[] {
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29,
            30, 31, 32
        });
        ObjectNode forged = (ObjectNode)
                ReceiptSigner.sign(receipts(3), ReceiptFixtures.NODE).get(1).toJson();
        byte[] root = java.util.HexFormat.of()
                .parseHex(forged.path("batch").path("root").asText());
        ((ObjectNode) forged.get("batch"))
                .put("signature", Base64.getEncoder().encodeToString(other.sign(SignedReceipt.signedBytes(root))));
        assertThat(ReceiptVerifier.verifyOnce(forged).problem()).contains("batch.signature");

        ObjectNode moved = (ObjectNode)
                ReceiptSigner.sign(receipts(3), ReceiptFixtures.NODE).get(1).toJson();
        ((ObjectNode) moved.get("batch")).put("index", 0);
        assertThat(ReceiptVerifier.verifyOnce(moved).problem()).contains("batch.proof");
    }

    @Test
    void theHandWrittenJsonIsWhatTheMapperWritesAndReads() throws Exception {
        SignedReceipt signed =
                ReceiptSigner.sign(receipts(3), ReceiptFixtures.NODE).get(1);
        assertThat(signed.toJson()).isEqualTo(Json.mapper().valueToTree(signed));
        assertThat(ExecutionReceipt.fromJson(signed.receipt().toJson())).isEqualTo(signed.receipt());
        assertThat(Json.mapper().treeToValue(signed.receipt().toJson(), ExecutionReceipt.class))
                .isEqualTo(signed.receipt());
        assertThat(signed.receipt().canonicalBytes())
                .isEqualTo(CanonicalWriter.viaLibrary(Json.mapper().valueToTree(signed.receipt())));
    }

    @Test
    void outputDigestStreamsTheCanonicalOutputDocument() {
        OutputDigest digest = new OutputDigest();
        ObjectNode document =
                OutputDigest.document(Json.mapper().createObjectNode().put("exit_code", 0));
        List<String> data = new ArrayList<>();
        for (int seq = 0; seq < 3; seq++) {
            String b64 = Base64.getEncoder().encodeToString(("line " + seq + "\n").getBytes(StandardCharsets.UTF_8));
            data.add(b64);
            digest.chunk(seq, seq == 1 ? "stderr" : "stdout", b64);
            OutputDigest.addChunk(document, seq, seq == 1 ? "stderr" : "stdout", b64);
        }
        assertThat(digest.finish(Json.mapper().createObjectNode().put("exit_code", 0)))
                .isEqualTo(Canonical.cid(document));
        assertThat(OutputDigest.ofResult(TextNode.valueOf("x")))
                .isEqualTo(Canonical.cid(OutputDigest.document(TextNode.valueOf("x"))));
        assertThat(OutputDigest.ofResult(null)).isEqualTo(Canonical.cid(OutputDigest.document(null)));
    }

    private static JsonNode roundTrip(JsonNode node) {
        try {
            return Json.mapper().readTree(node.toString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
