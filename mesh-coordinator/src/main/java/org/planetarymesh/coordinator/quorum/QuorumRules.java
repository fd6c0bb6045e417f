package org.planetarymesh.coordinator.quorum;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.planetarymesh.core.job.ErrorCode;
import org.planetarymesh.core.job.JobError;

/**
 * Decides a verified job from its ended replicas: the output that {@code quorum} of them produced (same output CID)
 * is the job's result and those replicas agreed, the other completed ones dissented; with no such output, or with two
 * (possible only when the quorum is half the replicas or less), the job is disputed and every distinct output is
 * listed with the replicas and nodes that produced it; when no replica completed at all, the job failed.
 */
public final class QuorumRules {

    private QuorumRules() {}

    /** One distinct output of a verified job and who produced it. */
    public record Output(String outputCid, List<Integer> replicas, List<String> nodes, JsonNode result) {}

    /** What the replicas decided, with each replica's verdict. */
    public sealed interface Decision {
        /** The replicas judged. */
        List<Replica> replicas();

        /** {@code quorum} replicas produced {@code output}: the job completes with its result. */
        record Agreed(Output output, List<Replica> replicas) implements Decision {}

        /** No single output reached the quorum: the job is disputed; {@code outputs} lists each distinct one. */
        record Disputed(List<Output> outputs, JobError error, List<Replica> replicas) implements Decision {}

        /** No replica produced any output: the job failed with {@code error}. */
        record Failed(JobError error, List<Replica> replicas) implements Decision {}
    }

    /** Decides from {@code replicas}, every one of them ended, with {@code quorum} needed to agree. */
    public static Decision decide(List<Replica> replicas, int quorum) {
        List<Output> outputs = outputs(replicas);
        if (outputs.isEmpty()) {
            return new Decision.Failed(allFailed(replicas), judge(replicas, null));
        }
        List<Output> reached =
                outputs.stream().filter(o -> o.replicas().size() >= quorum).toList();
        if (reached.size() == 1) {
            Output accepted = reached.getFirst();
            return new Decision.Agreed(accepted, judge(replicas, accepted.outputCid()));
        }
        String why = "no output was produced by " + quorum + " of " + replicas.size() + " replicas: "
                + describe(outputs) + failures(replicas);
        return new Decision.Disputed(
                outputs, new JobError(ErrorCode.QUORUM_NOT_REACHED.wireName(), why), judge(replicas, null));
    }

    /** Each distinct output of the completed replicas, in the order of the replica that first produced it. */
    private static List<Output> outputs(List<Replica> replicas) {
        Map<String, List<Replica>> byCid = new LinkedHashMap<>();
        for (Replica r : replicas) {
            if (r.completed()) {
                byCid.computeIfAbsent(r.outputCid(), cid -> new ArrayList<>()).add(r);
            }
        }
        List<Output> out = new ArrayList<>();
        byCid.forEach((cid, same) -> out.add(new Output(
                cid,
                same.stream().map(Replica::replica).toList(),
                same.stream().map(Replica::nodeId).toList(),
                same.getFirst().result())));
        return out;
    }

    private static List<Replica> judge(List<Replica> replicas, String acceptedCid) {
        return replicas.stream()
                .map(r -> r.judged(
                        !r.completed()
                                ? Replica.Verdict.FAILED
                                : r.outputCid().equals(acceptedCid)
                                        ? Replica.Verdict.AGREED
                                        : Replica.Verdict.DISSENTED))
                .toList();
    }

    private static String describe(List<Output> outputs) {
        StringBuilder text = new StringBuilder();
        text.append(outputs.size()).append(outputs.size() == 1 ? " distinct output (" : " distinct outputs (");
        for (int i = 0; i < outputs.size(); i++) {
            Output o = outputs.get(i);
            text.append(i == 0 ? "" : "; ").append(o.outputCid()).append(" from replica");
            text.append(o.replicas().size() == 1 ? " " : "s ").append(o.replicas());
        }
        return text.append(')').toString();
    }

    private static String failures(List<Replica> replicas) {
        long failed = replicas.stream().filter(r -> !r.completed()).count();
        return failed == 0 ? "" : "; " + failed + " replica" + (failed == 1 ? "" : "s") + " produced no output";
    }

    private static JobError allFailed(List<Replica> replicas) {
        Replica first = replicas.getFirst();
        String code = first.error() == null
                ? ErrorCode.EXECUTOR_ERROR.wireName()
                : first.error().code();
        StringBuilder why = new StringBuilder("every replica failed, none produced an output to compare:");
        for (Replica r : replicas) {
            why.append(" replica ").append(r.replica()).append(" (job ").append(r.jobId());
            if (r.nodeId() != null) {
                why.append(" on ").append(r.nodeId());
            }
            why.append(") ").append(r.status());
            if (r.error() != null) {
                why.append(": ").append(r.error().message());
            }
            why.append(';');
        }
        return new JobError(code, why.substring(0, why.length() - 1));
    }
}
