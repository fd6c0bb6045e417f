package org.planetarymesh.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.planetarymesh.core.json.Json;

/** {@code verify}: how many replicas, how many must agree, and which job types may ask. */
class VerifySpecTest {

    private static JobSpec parse(String json) {
        try {
            return JobSpecParser.parse(Json.mapper().readTree(json.replace('\'', '"')));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void replicasAndQuorumAreRead() {
        JobSpec spec = parse("{'type': 'wasm', 'verify': {'replicas': 3, 'quorum': 2}}");

        assertThat(spec.verify()).isEqualTo(new Verify(3, 2));
        assertThat(parse("{'type': 'echo'}").verify()).isNull();
        assertThat(parse("{'type': 'my-plugin', 'verify': {'replicas': 7, 'quorum': 7}}")
                        .verify())
                .isEqualTo(new Verify(7, 7));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            {'type': 'echo', 'verify': {'replicas': 1, 'quorum': 1}}   | verify.replicas | must be between 2 and 7
            {'type': 'echo', 'verify': {'replicas': 8, 'quorum': 2}}   | verify.replicas | must be between 2 and 7
            {'type': 'echo', 'verify': {'replicas': 3, 'quorum': 0}}   | verify.quorum   | must be between 1 and 7
            {'type': 'echo', 'verify': {'replicas': 3, 'quorum': 4}}   | verify.quorum   | must be at most verify.replicas (3): 4 of 3 replicas can never agree
            {'type': 'echo', 'verify': {'quorum': 2}}                  | verify.replicas | is required (an integer between 2 and 7)
            {'type': 'echo', 'verify': {'replicas': 3}}                | verify.quorum   | is required (an integer between 1 and 7)
            {'type': 'echo', 'verify': {'replicas': 3, 'quorum': 2.5}} | verify.quorum   | must be an integer between 1 and 7
            {'type': 'echo', 'verify': 3}                              | verify          | must be an object
            {'type': 'shell', 'verify': {'replicas': 3, 'quorum': 2}}  | verify          | only deterministic job types can be verified by replicas (echo, wasm, or an executor plugin's type); 'shell' gives different outputs on different nodes by nature
            {'type': 'http', 'verify': {'replicas': 3, 'quorum': 2}}   | verify          | only deterministic job types can be verified by replicas (echo, wasm, or an executor plugin's type); 'http' gives different outputs on different nodes by nature
            """)
    void eachProblemNamesItsField(String json, String field, String message) {
        assertThatThrownBy(() -> parse(json))
                .isInstanceOfSatisfying(
                        InvalidSpecException.class,
                        e -> assertThat(e.errors()).containsExactly(new FieldError(field, message)));
    }

    @Test
    void anUnknownFieldInVerifyIsNamed() {
        assertThatThrownBy(() -> parse("{'type': 'echo', 'verify': {'replicas': 3, 'quorum': 2, 'quorom': 2}}"))
                .isInstanceOfSatisfying(
                        InvalidSpecException.class,
                        e -> assertThat(e.errors())
                                .extracting(FieldError::field)
                                .containsExactly("verify.quorom"));
    }
}
