package org.planetarymesh.cli;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.planetarymesh.client.JobQuery;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.node.NodeInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code mesh node ID} shows one node in full; {@code mesh node drain|undrain|rm ID} drains it, lets it take jobs again,
 * or removes a disconnected or dead one.
 */
@Command(
        name = "node",
        description =
                "Show one node in full (mesh node ID), or drain, undrain or remove it (mesh node drain|undrain|rm ID).")
public final class NodeCommand extends ClientCommand {

    private static final List<String> ACTIONS = List.of("drain", "undrain", "rm");

    @Parameters(arity = "1..2", paramLabel = "[ACTION] ID", description = "ID, or drain ID, undrain ID, rm ID.")
    List<String> words;

    @Mixin
    OutputOption output;

    @Override
    protected int run(MeshClient client) {
        if (words.size() == 2 && !ACTIONS.contains(words.get(0))) {
            throw new UserError(
                    "invalid_argument", "unknown action '" + words.get(0) + "': use drain, undrain or rm (or just ID)");
        }
        if (words.size() == 1 && ACTIONS.contains(words.get(0))) {
            throw new UserError("invalid_argument", "give the node ID: mesh node " + words.get(0) + " ID");
        }
        String id = words.getLast();
        String action = words.size() == 2 ? words.get(0) : "show";
        switch (action) {
            case "drain" -> {
                client.drain(id);
                say("node " + id + " DRAINING: it finishes its jobs and gets no new ones");
            }
            case "undrain" -> {
                NodeInfo node = client.undrain(id);
                say("node " + node.id() + " " + node.status() + ": it takes jobs again");
            }
            case "rm" -> {
                client.removeNode(id);
                say("node " + id + " removed");
            }
            default -> show(client, id);
        }
        return 0;
    }

    private void say(String line) {
        out().println(line);
        out().flush();
    }

    private void show(MeshClient client, String id) {
        if (output.json()) {
            printJson(client.getJson("/v1/nodes/" + id));
            return;
        }
        NodeInfo node = client.node(id);
        List<Job> running = client.list(JobQuery.all()
                        .withNode(id)
                        .withStatus(JobStatus.RUNNING)
                        .withLimit(100))
                .jobs();
        out().print(detail(node, running, Instant.now()));
        out().flush();
    }

    /** One node as {@code mesh node ID} prints it. */
    static String detail(NodeInfo node, List<Job> running, Instant now) {
        StringBuilder s = new StringBuilder();
        line(s, "id", node.id());
        line(s, "name", node.name());
        line(s, "status", node.status().name());
        line(s, "mode", node.mode() + (node.address() == null ? "" : " (" + node.address() + ")"));
        line(s, "local", String.valueOf(node.local()));
        line(s, "executors", join(node.executors()));
        line(s, "capabilities", join(node.capabilities()));
        line(s, "models", join(node.models()));
        line(
                s,
                "resources",
                "cpu " + node.resources().cpu() + ", memory " + node.resources().memoryMb() + " MB, gpus "
                        + node.resources().gpus());
        line(s, "labels", labels(node.labels()));
        line(s, "slots", node.running() + "/" + node.maxConcurrent() + " in use");
        line(
                s,
                "connected",
                node.connectedAt() == null
                        ? "-"
                        : node.connectedAt() + " (" + Cells.age(node.connectedAt(), now) + " ago)");
        line(
                s,
                "last heartbeat",
                node.lastHeartbeatAt() == null
                        ? "-"
                        : node.lastHeartbeatAt() + " (" + Cells.age(node.lastHeartbeatAt(), now) + " ago)");
        line(
                s,
                "running jobs",
                running.isEmpty()
                        ? "none"
                        : running.stream()
                                .map(j -> j.id() + " " + j.spec().type())
                                .collect(Collectors.joining(", ")));
        return s.toString();
    }

    private static void line(StringBuilder s, String name, String value) {
        s.append(String.format("%-15s %s%n", name + ":", value == null || value.isEmpty() ? "-" : value));
    }

    private static String join(List<String> values) {
        return values.isEmpty() ? "-" : String.join(", ", values);
    }

    private static String labels(Map<String, String> labels) {
        return labels.isEmpty()
                ? "-"
                : labels.entrySet().stream()
                        .sorted(Map.Entry.comparingByKey())
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(", "));
    }
}
