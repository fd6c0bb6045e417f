package org.planetarymesh.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.planetarymesh.core.json.Json;

/** {@code run_at} and {@code delay_ms}: when a job may start, and the job it makes at submission. */
class DelayedSpecTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    void delayMsIsCountedFromTheMomentOfParsingAndKeptAsRunAt() {
        JobSpec spec = parse("{'type': 'echo', 'delay_ms': 1500}");

        assertThat(spec.runAt()).isEqualTo(NOW.plusMillis(1_500));
    }

    @Test
    void runAtIsReadWithAnyIsoOffset() {
        JobSpec spec = parse("{'type': 'echo', 'run_at': '2030-01-01T02:00:00+02:00'}");

        assertThat(spec.runAt()).isEqualTo(NOW);
    }

    @Test
    void aDelayedJobStartsPendingAndNotBeforeItsTime() {
        Job job = Job.submitted(JobIds.next(), parse("{'type': 'echo', 'delay_ms': 60000}"), NOW);

        assertThat(job.status()).isEqualTo(JobStatus.PENDING);
        assertThat(job.notBefore()).isEqualTo(NOW.plusSeconds(60));
    }

    @Test
    void aRunAtAlreadyPastQueuesAtOnce() {
        Job job = Job.submitted(JobIds.next(), parse("{'type': 'echo', 'run_at': '2029-12-31T23:59:00Z'}"), NOW);

        assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(job.notBefore()).isNull();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            {'type': 'echo', 'run_at': '2030-01-02T00:00:00Z', 'delay_ms': 5} | delay_ms | cannot be given with run_at: send one of them
            {'type': 'echo', 'delay_ms': -1}                                  | delay_ms | must be between 0 and 31622400000
            {'type': 'echo', 'delay_ms': 31622400001}                         | delay_ms | must be between 0 and 31622400000
            {'type': 'echo', 'delay_ms': 'soon'}                              | delay_ms | must be an integer between 0 and 31622400000
            {'type': 'echo', 'run_at': 'tomorrow'}                            | run_at   | must be an ISO-8601 instant such as 2030-01-01T00:00:00Z (got 'tomorrow')
            {'type': 'echo', 'run_at': 42}                                    | run_at   | must be an ISO-8601 instant such as 2030-01-01T00:00:00Z
            {'type': 'echo', 'run_at': '2031-01-03T00:00:00Z'}                | run_at   | must be at most 366 days from now (got '2031-01-03T00:00:00Z')
            {'type': 'echo', 'delay_ms': 60000, 'deadline': '2030-01-01T00:00:30Z'} | deadline | must be after the job's start time (2030-01-01T00:01:00Z): it would time out unrun
            """)
    void badStartTimesAreRefusedNamingTheField(String spec, String field, String message) {
        assertThatThrownBy(() -> parse(spec))
                .isInstanceOfSatisfying(
                        InvalidSpecException.class,
                        e -> assertThat(e.errors()).containsExactly(new FieldError(field, message)));
    }

    private static JobSpec parse(String singleQuotedJson) {
        try {
            return JobSpecParser.parse(Json.mapper().readTree(singleQuotedJson.replace('\'', '"')), NOW);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
