package org.planetarymesh.core.receipt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.planetarymesh.core.identity.DidKey;
import org.planetarymesh.core.json.Json;

/**
 * Compact receipts (ADR 0105): the receipt's own canonical writer gives the library's bytes, a batch signed over the
 * receipts' CIDs gives each receipt a whole signed form that verifies alone offline, and nothing else verifies.
 */
class CompactReceiptTest {

    private static final String ODD = "\"quote\\ back\n\t\u0001 é 😀 \u2028";

    @Test
    void theReceiptsOwnCanonicalFormIsTheLibrarys() {
        Random random = new Random(37);
        for (int i = 0; i < 2_000; i++) {
            ExecutionReceipt receipt = new ExecutionReceipt(
                    random.nextInt(3),
                    maybe(random, "job-" + i + (random.nextBoolean() ? ODD : "")),
                    maybe(random, "bspec" + i),
                    random.nextInt(Integer.MAX_VALUE),
                    maybe(random, ReceiptFixtures.NODE.did()),
                    maybe(random, "binput" + ODD),
                    maybe(random, "boutput"),
                    maybe(random, "completed"),
                    maybe(random, "2026-12-07T21:00:00.000Z"),
                    maybe(random, "2026-12-07T21:00:00.004Z"),
                    random.nextInt(4) == 0
                            ? null
                            : new ExecutionReceipt.Usage(
                                    random.nextBoolean() ? random.nextLong() : random.nextInt(1_000),
                                    random.nextInt(5) == 0 ? (1L << 53) + random.nextInt(1_000) : random.nextInt(),
                                    random.nextLong()));
            assertThat(new String(receipt.canonicalBytes(), java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo(new String(
                            CanonicalWriter.viaLibrary(receipt.toJson()), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private static String maybe(Random random, String value) {
        return random.nextInt(8) == 0 ? null : value;
    }

    @Test
    void eachReceiptOfASignedBatchVerifiesAloneOffline() throws Exception {
        for (int size : new int[] {1, 2, 3, 5, 8, 13}) {
            List<ExecutionReceipt> receipts = IntStream.range(0, size)
                    .mapToObj(i -> ReceiptFixtures.receipt("job-" + i, 1))
                    .toList();
            List<byte[]> cids =
                    receipts.stream().map(ExecutionReceipt::binaryCid).toList();
            String signature = ReceiptBatch.sign(cids, ReceiptFixtures.NODE);

            List<SignedReceipt.Batch> batches =
                    ReceiptBatch.verify(cids, DidKey.toEd25519(ReceiptFixtures.NODE.did()), signature);

            assertThat(batches).hasSize(size);
            for (int i = 0; i < size; i++) {
                String text = SignedReceipt.json(
                        receipts.get(i).canonicalBytes(), receipts.get(i).cid(), batches.get(i));
                ReceiptVerifier.Verdict verdict =
                        ReceiptVerifier.verifyOnce(Json.mapper().readTree(text));
                assertThat(verdict.valid()).as(verdict.problem()).isTrue();
                assertThat(verdict.receipt()).isEqualTo(receipts.get(i));
                assertThat(Canonical.of(Json.mapper().readTree(text)))
                        .isEqualTo(Canonical.of(new SignedReceipt(
                                        receipts.get(i), receipts.get(i).cid(), batches.get(i))
                                .toJson()));
            }
        }
    }

    @Test
    void aSignatureOverOtherCidsOrByAnotherKeyDoesNotVerify() {
        List<byte[]> cids = new ArrayList<>(IntStream.range(0, 4)
                .mapToObj(i -> ReceiptFixtures.receipt("job-" + i, 1).binaryCid())
                .toList());
        String signature = ReceiptBatch.sign(cids, ReceiptFixtures.NODE);
        byte[] key = DidKey.toEd25519(ReceiptFixtures.NODE.did());

        List<byte[]> reordered = new ArrayList<>(cids);
        java.util.Collections.swap(reordered, 0, 1);
        assertThat(ReceiptBatch.verify(reordered, key, signature)).isNull();
        assertThat(ReceiptBatch.verify(cids.subList(0, 3), key, signature)).isNull();
        byte[] flipped = cids.get(2).clone();
        flipped[flipped.length - 1] ^= 1;
        cids.set(2, flipped);
        assertThat(ReceiptBatch.verify(cids, key, signature)).isNull();
        cids.set(2, ReceiptFixtures.receipt("job-2", 1).binaryCid());
        assertThat(ReceiptBatch.verify(cids, key, signature)).isNotNull();
        byte[] otherKey = DidKey.toEd25519(org.planetarymesh.core.identity.SigningKey.fromSeed(new byte[] {
                    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27,
                    28, 29, 30, 31, 32
                })
                .did());
        assertThat(ReceiptBatch.verify(cids, otherKey, signature)).isNull();
        assertThat(ReceiptBatch.verify(cids, key, "not base64!")).isNull();
    }

    @Test
    void theCompactFormReadsBackAndNamesWhatIsWrong() throws Exception {
        ExecutionReceipt receipt = ReceiptFixtures.receipt("job-1", 1);
        CompactReceipt compact = new CompactReceipt(receipt.cid(), receipt.startedAt(), receipt.finishedAt());
        JsonNode json = compact.toJson();
        assertThat(CompactReceipt.isCompact(json)).isTrue();
        assertThat(CompactReceipt.fromJson(json)).isEqualTo(compact);
        assertThat(compact.rebuild(
                        receipt.jobId(),
                        receipt.specCid(),
                        1,
                        receipt.executor(),
                        receipt.inputCid(),
                        receipt.outputCid(),
                        receipt.usage()))
                .isEqualTo(receipt);
        assertThat(CompactReceipt.isCompact(
                        new SignedReceipt(receipt, receipt.cid(), new SignedReceipt.Batch("00", 0, 1, List.of(), "s"))
                                .toJson()))
                .isFalse();
        assertThatThrownBy(() -> CompactReceipt.fromJson(Json.mapper()
                        .readTree("{\"cid\":\"bnotacid\",\"started_at\":\"2026-12-07T21:00:00Z\","
                                + "\"finished_at\":\"2026-12-07T21:00:00Z\"}")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CompactReceipt.fromJson(Json.mapper()
                        .readTree("{\"cid\":\"" + receipt.cid() + "\",\"started_at\":\"yesterday\","
                                + "\"finished_at\":\"2026-12-07T21:00:00Z\"}")))
                .hasMessageContaining("receipt.started_at");
        assertThatThrownBy(() -> CompactReceipt.fromJson(Json.mapper().readTree("{\"cid\":\"" + receipt.cid() + "\"}")))
                .hasMessageContaining("receipt.started_at must be a string");
    }
}
