package org.planetarymesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.planetarymesh.client.ErrorDetail;
import org.planetarymesh.client.InvalidRequestException;

/** A refused request is described with each reason once, however the server worded its message and details. */
class ErrorDetailsTest {

    @Test
    void aDetailTheMessageSaysAsFieldAndMessageIsNotRepeated() {
        var refused = new InvalidRequestException(
                "invalid_spec",
                422,
                "run_at must be at most 366 days from now (got '2030-01-01T08:00:00Z')",
                List.of(new ErrorDetail(
                        null, "run_at", "must be at most 366 days from now (got '2030-01-01T08:00:00Z')")),
                null);

        assertThat(ErrorReporter.describe(refused, null))
                .isEqualTo("run_at must be at most 366 days from now (got '2030-01-01T08:00:00Z') (invalid_spec)");
    }

    @Test
    void aDetailTheMessageDoesNotSayIsAdded() {
        var refused = new InvalidRequestException(
                "invalid_schedule",
                422,
                "cron is required",
                List.of(new ErrorDetail(null, "cron", "is required"), new ErrorDetail(null, "job", "is required")),
                null);

        assertThat(ErrorReporter.describe(refused, null))
                .isEqualTo("cron is required: job: is required (invalid_schedule)");
    }
}
