package org.planetarymesh.agent.executor.wasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.planetarymesh.core.blob.Cid;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.executor.ErrorCode;
import org.planetarymesh.executor.ExecutorException;

/** Every wrong {@code wasm} payload is refused as invalid_payload naming the field and the fix. */
class WasmJobTest {
    private static final String CID = Cid.of(new byte[] {0, 'a', 's', 'm'}).text();

    private static WasmJob parse(String json) throws Exception {
        return WasmJob.parse(Json.mapper().readTree(json));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "{}|name the module",
                "{\"module\":\"bafy\"}|'module': a CID here is 59 characters",
                "{\"module_base64\":\"%%%\"}|'module_base64' is not base64",
                "{\"module\":\"" + "CID" + "\",\"params\":[1]}|'params' go with 'function'",
                "{\"module\":\"CID\",\"function\":\"f\",\"params\":[\"1\"]}|'params' holds numbers only",
                "{\"module\":\"CID\",\"args\":[1]}|'args' holds strings only",
                "{\"module\":\"CID\",\"env\":[]}|'env' is an object of strings",
                "{\"module\":\"CID\",\"max_memory_pages\":0}|'max_memory_pages' must be a whole number in 1..65536",
                "{\"module\":\"CID\",\"fuel\":-1}|'fuel' must be a whole number",
                "{\"module\":\"CID\",\"mode\":\"jit\"}|'mode' is 'compiled' (the default) or 'interpreted'",
                "{\"module\":\"CID\",\"mode\":\"compiled\",\"fuel\":10}|'fuel' is counted by the interpreter only",
            })
    void refusesWithTheFieldAndTheFix(String payload, String message) {
        assertThatThrownBy(() -> parse(payload.replace("CID", CID)))
                .isInstanceOfSatisfying(ExecutorException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PAYLOAD);
                    assertThat(e.getMessage()).startsWith("wasm: ").contains(message);
                });
    }

    @Test
    void aGoodPayloadReadsAsWritten() throws Exception {
        byte[] module = {0, 'a', 's', 'm', 1, 0, 0, 0};
        WasmJob inline = parse("{\"module_base64\":\"" + Base64.getEncoder().encodeToString(module)
                + "\",\"function\":\"f\",\"params\":[1,2.5],\"fuel\":1000}");
        assertThat(inline.cid()).isEqualTo(Cid.of(module));
        assertThat(inline.params()).hasSize(2);
        assertThat(inline.interpreted())
                .as("a fuel budget runs in the interpreter")
                .isTrue();
        WasmJob command = parse("{\"module\":\"" + CID + "\",\"args\":[\"-v\"],\"env\":{\"A\":\"b\"},\"stdin\":\"x\"}");
        assertThat(command.function()).isNull();
        assertThat(command.args()).containsExactly("-v");
        assertThat(command.env()).containsEntry("A", "b");
        assertThat(command.interpreted()).isFalse();
    }

    @Test
    void aLargeInlineModuleIsSentToTheBlobStore() {
        String big = Base64.getEncoder().encodeToString(new byte[WasmJob.MAX_INLINE_BYTES + 1]);
        assertThatThrownBy(() -> parse("{\"module_base64\":\"" + big + "\"}")).hasMessageContaining("mesh blob put");
    }
}
