package org.planetarymesh.core.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;

/** Job ids are UUIDv7: version and variant bits set, time-ordered, strictly increasing within a process. */
class JobIdsTest {

    @Test
    void anIdIsACanonicalVersion7VariantRfcUuid() {
        String id = JobIds.next();
        UUID uuid = UUID.fromString(id);

        assertThat(id).hasSize(36).isLowerCase();
        assertThat(uuid.version()).isEqualTo(7);
        assertThat(uuid.variant()).isEqualTo(2);
        assertThat(uuid.toString()).isEqualTo(id);
        assertThat(JobIds.isValid(id)).isTrue();
    }

    @Test
    void anIdCarriesTheCurrentUnixMillisecondsInItsFirst48Bits() {
        long before = System.currentTimeMillis();
        long millis = UUID.fromString(JobIds.next()).getMostSignificantBits() >>> 16;
        long after = System.currentTimeMillis();

        // the counter may borrow a few milliseconds ahead when many ids were minted just before
        assertThat(millis).isBetween(before, after + 1_000);
    }

    @Test
    void oneHundredThousandIdsFromOneThreadAreStrictlyIncreasing() {
        String previous = JobIds.next();
        for (int i = 0; i < 100_000; i++) {
            String next = JobIds.next();
            assertThat(next).as("id %d", i).isGreaterThan(previous);
            previous = next;
        }
    }

    @ParameterizedTest(name = "[{index}] {0} valid: {1}")
    @CsvSource({
        "01890a5d-ac96-7ab2-80e2-4536629c90de, true",
        "01890a5d-ac96-7ab2-bfff-ffffffffffff, true",
        "01890A5D-AC96-7AB2-80E2-4536629C90DE, false", // ids are minted lower case and compared as strings
        "01890a5d-ac96-4ab2-80e2-4536629c90de, false", // version 4
        "01890a5d-ac96-1ab2-80e2-4536629c90de, false", // version 1
        "01890a5d-ac96-7ab2-00e2-4536629c90de, false", // NCS variant, not RFC 9562
        "01890a5d-ac96-7ab2-c0e2-4536629c90de, false", // Microsoft variant
        "01890a5dac967ab280e24536629c90de, false", // no dashes
        "01890a5d-ac96-7ab2-80e2-4536629c90d, false", // one digit short
        "01890a5d-ac96-7ab2-80e2-4536629c90dee, false", // one digit long
        "01890a5d-ac96-7ab2-80e2-4536629c90dg, false", // not hex
        "1-1-7-8-1aaaaaaaaaaaaaaaaaaaaaaaaaaa, false", // UUID.fromString would accept this shape
        "job-42, false",
    })
    void isValidAcceptsOnlyCanonicalLowerCaseUuidV7(String id, boolean valid) {
        assertThat(JobIds.isValid(id)).isEqualTo(valid);
    }

    @ParameterizedTest
    @NullAndEmptySource
    void isValidRefusesNothing(String id) {
        assertThat(JobIds.isValid(id)).isFalse();
    }
}
