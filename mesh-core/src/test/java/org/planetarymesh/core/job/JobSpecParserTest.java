package org.planetarymesh.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.list;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.planetarymesh.core.json.Json;

/** {@link JobSpecParser}: a full spec is read field by field; every bad one is refused with each problem's path. */
class JobSpecParserTest {

    private static final String ID_A = "01890a5d-ac96-7ab2-80e2-4536629c90de";
    private static final String ID_B = "01890a5d-ac96-7ab2-80e2-4536629c90df";

    @Test
    void aMinimalSpecGetsTheDocumentedDefaults() {
        JobSpec spec = parse("{'type': 'echo'}");

        assertThat(spec.type()).isEqualTo("echo");
        assertThat(spec.payload().isNull()).isTrue();
        assertThat(spec.scope()).isEqualTo(Scope.HYBRID);
        assertThat(spec.priority()).isZero();
        assertThat(spec.placement().policy()).isEqualTo(PlacementPolicy.LEAST_LOADED);
        assertThat(spec.retry()).isEqualTo(RetryPolicy.DEFAULT);
        assertThat(spec.requirements()).isEqualTo(Requirements.NONE);
        assertThat(spec.dependsOn()).isEmpty();
    }

    @Test
    void everyFieldOfAFullSpecIsRead() {
        JobSpec spec = parse("""
                {'type': 'inference', 'payload': {'prompt': 'hi'}, 'scope': 'network', 'priority': 5,
                 'deadline': '2030-01-01T00:00:00Z', 'timeout_ms': 30000,
                 'requirements': {'capabilities': ['gpu'], 'resources': {'cpu': 2.5, 'memory_mb': 4096, 'gpus': 1},
                                  'labels': {'zone': 'eu'}, 'model': 'llama3'},
                 'placement': {'policy': 'auction', 'window_ms': 2000, 'max_price': 50},
                 'retry': {'max_attempts': 5, 'backoff': {'initial_ms': 100, 'multiplier': 3, 'max_ms': 9000,
                                                          'jitter': 0.5}},
                 'idempotency_key': 'order-7', 'depends_on': ['%s', '%s'], 'parent_id': '%s', 'budget': 100}
                """.formatted(ID_A, ID_B, ID_A));

        assertThat(spec)
                .isEqualTo(new JobSpec(
                        "inference",
                        json("{'prompt': 'hi'}"),
                        Scope.NETWORK,
                        5,
                        Instant.parse("2030-01-01T00:00:00Z"),
                        30_000L,
                        new Requirements(List.of("gpu"), new Resources(2.5, 4096, 1), Map.of("zone", "eu"), "llama3"),
                        new Placement(PlacementPolicy.AUCTION, 2_000L, 50L),
                        new RetryPolicy(5, new Backoff(100, 3.0, 9_000, 0.5)),
                        "order-7",
                        List.of(ID_A, ID_B),
                        ID_A,
                        100L));
    }

    @Test
    void placementMayBeGivenAsJustThePolicyName() {
        assertThat(parse("{'type': 'echo', 'placement': 'first-healthy'}").placement())
                .isEqualTo(new Placement(PlacementPolicy.FIRST_HEALTHY, null, null));
        assertThat(parse("{'type': 'echo', 'placement': 'bin-pack'}").placement())
                .isEqualTo(new Placement(PlacementPolicy.BIN_PACK, null, null));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            # spec                                                           | field                            | message
            []                                                               | ""                               | a job spec must be a JSON object
            {}                                                               | type                             | is required
            {'type': null}                                                   | type                             | is required
            {'type': 5}                                                      | type                             | must be a string
            {'type': 'Echo Job!'}                                            | type                             | must be 1-128 characters of a-z, 0-9, '.', '_', ':', '/', '-', starting with a letter or digit
            {'type': '-echo'}                                                | type                             | must be 1-128 characters of a-z, 0-9, '.', '_', ':', '/', '-', starting with a letter or digit
            {'type': 'echo', 'colour': 'red'}                                | colour                           | is not a known field
            {'type': 'echo', 'retry': {'max_attempts': 0}}                   | retry.max_attempts               | must be between 1 and 100
            {'type': 'echo', 'retry': {'max_attempts': 101}}                 | retry.max_attempts               | must be between 1 and 100
            {'type': 'echo', 'retry': {'max_attempts': '3'}}                 | retry.max_attempts               | must be an integer between 1 and 100
            {'type': 'echo', 'retry': {'max_attempts': 2.5}}                 | retry.max_attempts               | must be an integer between 1 and 100
            {'type': 'echo', 'retry': {'backoff': {'factor': 2}}}            | retry.backoff.factor             | is not a known field
            {'type': 'echo', 'retry': {'backoff': {'jitter': 1.5}}}          | retry.backoff.jitter             | must be between 0 and 1
            {'type': 'echo', 'retry': {'backoff': {'multiplier': 'x'}}}      | retry.backoff.multiplier         | must be a number between 1 and 10
            {'type': 'echo', 'retry': 3}                                     | retry                            | must be an object
            {'type': 'echo', 'placement': 'cheapest'}                        | placement                        | must be one of first-healthy, least-loaded, bin-pack, auction (got 'cheapest')
            {'type': 'echo', 'placement': {'policy': 3}}                     | placement.policy                 | must be a string: first-healthy, least-loaded, bin-pack, auction
            {'type': 'echo', 'placement': 7}                                 | placement                        | must be a policy name (first-healthy, least-loaded, bin-pack, auction) or an object
            {'type': 'echo', 'placement': {'window_ms': 0}}                  | placement.window_ms              | must be between 1 and 600000
            {'type': 'echo', 'deadline': 'tomorrow'}                         | deadline                         | must be an ISO-8601 instant such as 2030-01-01T00:00:00Z (got 'tomorrow')
            {'type': 'echo', 'deadline': 1893456000}                         | deadline                         | must be an ISO-8601 instant such as 2030-01-01T00:00:00Z
            {'type': 'echo', 'depends_on': 'abc'}                            | depends_on                       | must be an array of strings
            {'type': 'echo', 'depends_on': ['abc']}                          | depends_on[0]                    | must be a job id (a UUIDv7 string), got 'abc'
            {'type': 'echo', 'depends_on': [7]}                              | depends_on[0]                    | must be a non-empty string
            {'type': 'echo', 'depends_on': ['ID_A', 'ID_B', 'ID_A']}         | depends_on[2]                    | repeats depends_on[0]
            {'type': 'echo', 'parent_id': 'job-1'}                           | parent_id                        | must be a job id (a UUIDv7 string)
            {'type': 'echo', 'requirements': {'labels': {'zone': 1}}}        | requirements.labels.zone         | must be a string
            {'type': 'echo', 'requirements': {'labels': ['zone']}}           | requirements.labels              | must be an object
            {'type': 'echo', 'requirements': {'capabilities': ['']}}         | requirements.capabilities[0]     | must be a non-empty string
            {'type': 'echo', 'requirements': {'gpu': true}}                  | requirements.gpu                 | is not a known field
            {'type': 'echo', 'requirements': {'resources': {'cpu': 'lots'}}} | requirements.resources.cpu       | must be a number between 0 and 100000
            {'type': 'echo', 'requirements': {'resources': {'gpus': -1}}}    | requirements.resources.gpus      | must be between 0 and 1024
            {'type': 'echo', 'requirements': {'resources': {'disk': 1}}}     | requirements.resources.disk      | is not a known field
            {'type': 'echo', 'timeout_ms': -5}                               | timeout_ms                       | must be between 1 and 604800000
            {'type': 'echo', 'timeout_ms': 0}                                | timeout_ms                       | must be between 1 and 604800000
            {'type': 'echo', 'priority': 2000000}                            | priority                         | must be between -1000000 and 1000000
            {'type': 'echo', 'scope': 'galaxy'}                              | scope                            | must be one of LOCAL, NETWORK, HYBRID
            {'type': 'echo', 'idempotency_key': ''}                          | idempotency_key                  | must be 1-256 characters
            {'type': 'echo', 'budget': -1}                                   | budget                           | must be between 0 and 9223372036854775807
            {'type': 'echo', 'payload': 1e400}                               | payload                          | is a number beyond the range of a 64-bit float (about ±1.8e308); send it as a string
            {'type': 'echo', 'payload': {'a': [1, -1e309]}}                  | payload.a[1]                     | is a number beyond the range of a 64-bit float (about ±1.8e308); send it as a string
            """)
    void aMalformedSpecIsRefusedWithTheFieldPathAndWhatToFix(String spec, String field, String message) {
        assertThatThrownBy(() -> parse(spec.replace("ID_A", ID_A).replace("ID_B", ID_B)))
                .isInstanceOfSatisfying(
                        InvalidSpecException.class,
                        e -> assertThat(e.errors()).containsExactly(new FieldError(field, message)))
                .hasMessage(field.isEmpty() ? message : field + " " + message);
    }

    @Test
    void payloadNumbersWithinRangeAreKeptAsSent() {
        JobSpec spec = parse(
                "{'type': 'echo', 'payload': {'max': 1.7976931348623157e308, 'big': 123456789012345678901234567890}}");

        assertThat(spec.payload().get("max").doubleValue()).isEqualTo(Double.MAX_VALUE);
        assertThat(spec.payload().get("big").bigIntegerValue())
                .isEqualTo(new java.math.BigInteger("123456789012345678901234567890"));
    }

    @Test
    void everyProblemIsReportedAtOnceInDocumentOrderWithItsPath() {
        assertThatThrownBy(() -> parse("""
                        {'type': 'Bad Type', 'colour': 1, 'retry': {'max_attempts': 0, 'backoff': {'jitter': 2}},
                         'requirements': {'labels': {'zone': 1}}, 'timeout_ms': -1}
                        """))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessage("colour is not a known field; "
                        + "type must be 1-128 characters of a-z, 0-9, '.', '_', ':', '/', '-', starting with a letter or"
                        + " digit; "
                        + "timeout_ms must be between 1 and 604800000; "
                        + "requirements.labels.zone must be a string; "
                        + "retry.max_attempts must be between 1 and 100; "
                        + "retry.backoff.jitter must be between 0 and 1")
                .extracting(e -> ((InvalidSpecException) e).errors(), list(FieldError.class))
                .extracting(FieldError::field)
                .containsExactly(
                        "colour",
                        "type",
                        "timeout_ms",
                        "requirements.labels.zone",
                        "retry.max_attempts",
                        "retry.backoff.jitter");
    }

    @Test
    void theErrorListCannotBeChangedByCallers() {
        assertThatThrownBy(() -> parse("{}"))
                .isInstanceOfSatisfying(
                        InvalidSpecException.class, e -> assertThat(e.errors()).isUnmodifiable());
    }

    private static JobSpec parse(String singleQuotedJson) {
        return JobSpecParser.parse(json(singleQuotedJson));
    }

    private static JsonNode json(String singleQuotedJson) {
        try {
            return Json.mapper().readTree(singleQuotedJson.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
