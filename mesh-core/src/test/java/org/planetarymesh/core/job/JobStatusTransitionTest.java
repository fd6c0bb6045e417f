package org.planetarymesh.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.planetarymesh.core.job.JobStatus.ANNOUNCED;
import static org.planetarymesh.core.job.JobStatus.ASSIGNED;
import static org.planetarymesh.core.job.JobStatus.CANCELLED;
import static org.planetarymesh.core.job.JobStatus.COMPLETED;
import static org.planetarymesh.core.job.JobStatus.DISPUTED;
import static org.planetarymesh.core.job.JobStatus.FAILED;
import static org.planetarymesh.core.job.JobStatus.PENDING;
import static org.planetarymesh.core.job.JobStatus.QUEUED;
import static org.planetarymesh.core.job.JobStatus.REFUNDED;
import static org.planetarymesh.core.job.JobStatus.RUNNING;
import static org.planetarymesh.core.job.JobStatus.TIMED_OUT;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Checks all 121 (from, to) pairs of {@link JobStatus} against the designed lifecycle, written out below. */
class JobStatusTransitionTest {

    /** The designed lifecycle, written out independently of {@link JobStatus}'s own table. */
    private static final Map<JobStatus, Set<JobStatus>> LIFECYCLE = lifecycle();

    private static Map<JobStatus, Set<JobStatus>> lifecycle() {
        Map<JobStatus, Set<JobStatus>> table = new EnumMap<>(JobStatus.class);
        table.put(PENDING, EnumSet.of(QUEUED, FAILED, CANCELLED, TIMED_OUT));
        table.put(QUEUED, EnumSet.of(ANNOUNCED, ASSIGNED, CANCELLED, TIMED_OUT));
        table.put(ANNOUNCED, EnumSet.of(ASSIGNED, QUEUED, FAILED, CANCELLED, TIMED_OUT));
        table.put(ASSIGNED, EnumSet.of(RUNNING, COMPLETED, QUEUED, FAILED, CANCELLED, TIMED_OUT));
        table.put(RUNNING, EnumSet.of(COMPLETED, QUEUED, FAILED, CANCELLED, TIMED_OUT, DISPUTED));
        table.put(DISPUTED, EnumSet.of(REFUNDED, QUEUED, CANCELLED));
        table.put(COMPLETED, EnumSet.noneOf(JobStatus.class));
        table.put(FAILED, EnumSet.noneOf(JobStatus.class));
        table.put(CANCELLED, EnumSet.noneOf(JobStatus.class));
        table.put(TIMED_OUT, EnumSet.noneOf(JobStatus.class));
        table.put(REFUNDED, EnumSet.noneOf(JobStatus.class));
        return table;
    }

    private static final Set<JobStatus> TERMINAL =
            EnumSet.of(COMPLETED, FAILED, CANCELLED, TIMED_OUT, DISPUTED, REFUNDED);

    static Stream<Arguments> everyPair() {
        List<Arguments> pairs = new ArrayList<>();
        for (JobStatus from : JobStatus.values()) {
            for (JobStatus to : JobStatus.values()) {
                pairs.add(Arguments.of(from, to, LIFECYCLE.get(from).contains(to)));
            }
        }
        return pairs.stream();
    }

    @Test
    void theLifecycleCoversEveryStatusSoNoPairIsSkipped() {
        assertThat(LIFECYCLE).containsOnlyKeys(JobStatus.values());
        assertThat(everyPair()).hasSize(121);
    }

    @ParameterizedTest(name = "{0} -> {1} allowed: {2}")
    @MethodSource("everyPair")
    void everyPairIsAllowedOrRefusedExactlyAsTheLifecycleSays(JobStatus from, JobStatus to, boolean allowed) {
        assertThat(from.canTransitionTo(to)).isEqualTo(allowed);
        if (allowed) {
            assertThatCode(() -> from.checkTransitionTo(to)).doesNotThrowAnyException();
        } else {
            assertThatThrownBy(() -> from.checkTransitionTo(to))
                    .isInstanceOfSatisfying(IllegalTransitionException.class, e -> {
                        assertThat(e.from()).isEqualTo(from);
                        assertThat(e.to()).isEqualTo(to);
                    });
        }
    }

    @ParameterizedTest
    @EnumSource(JobStatus.class)
    void successorsAreExactlyTheLifecycleRow(JobStatus from) {
        assertThat(from.successors()).containsExactlyInAnyOrderElementsOf(LIFECYCLE.get(from));
        assertThatThrownBy(() -> from.successors().add(QUEUED)).isInstanceOf(UnsupportedOperationException.class);
    }

    @ParameterizedTest
    @EnumSource(JobStatus.class)
    void onlyCompletedFailedCancelledTimedOutDisputedAndRefundedAreTerminal(JobStatus status) {
        assertThat(status.isTerminal()).isEqualTo(TERMINAL.contains(status));
    }

    @Test
    void noStatusMayStayWhereItIs() {
        for (JobStatus status : JobStatus.values()) {
            assertThat(status.canTransitionTo(status))
                    .as("%s -> %s", status, status)
                    .isFalse();
        }
    }

    @Test
    void refusalFromALiveStatusNamesTheMovesThatAreAllowed() {
        assertThatThrownBy(() -> QUEUED.checkTransitionTo(COMPLETED))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessage(
                        "a job cannot go from QUEUED to COMPLETED; allowed: [ANNOUNCED, ASSIGNED, CANCELLED, TIMED_OUT]");
    }

    @Test
    void refusalFromATerminalStatusSaysItIsTerminal() {
        assertThatThrownBy(() -> COMPLETED.checkTransitionTo(QUEUED))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessage("a job cannot go from COMPLETED to QUEUED (COMPLETED is terminal)");
    }
}
