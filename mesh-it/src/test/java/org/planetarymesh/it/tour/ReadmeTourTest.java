package org.planetarymesh.it.tour;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.it.MeshProcess;
import org.planetarymesh.it.MeshProcess.Result;

/**
 * Runs the README's five-minute tour verbatim against a real {@code mesh up} on a fresh data dir: every {@code ./mesh}
 * line of the tour's {@code bash} blocks goes through bash in the work dir ({@code <ID>} standing for the id the
 * previous submit printed), and the {@code text} block after a {@code bash} block is the output the README promises
 * for its last command: each of its lines must appear in the real output, with ids, node keys, times, ages and
 * percentages compared by shape, not value.
 */
class ReadmeTourTest {

    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Duration COMMAND = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    /** A command of the tour and the output the README shows for it (empty when it shows none). */
    record Step(String command, List<String> expected) {}

    @Test
    void theReadmeTourRunsVerbatimAndPrintsWhatTheReadmeShows() throws IOException {
        String readme = Files.readString(MeshProcess.root().resolve("README.md"));
        assertThat(firstCommand(readme)).as("the README's first command").isEqualTo("./mesh up");
        List<Step> steps = tour(readme);
        assertThat(steps)
                .extracting(Step::command)
                .anyMatch(c -> c.startsWith("./mesh submit echo"))
                .anyMatch(c -> c.startsWith("./mesh jobs"))
                .anyMatch(c -> c.startsWith("./mesh job <ID>"))
                .anyMatch(c -> c.startsWith("./mesh logs"))
                .anyMatch(c -> c.startsWith("./mesh cancel <ID>"))
                .anyMatch(c -> c.startsWith("./mesh nodes"));

        try (LocalMesh mesh = new LocalMesh(dir)) {
            mesh.start();
            assertThat(mesh.process().log())
                    .contains("Planetary Mesh is up at " + mesh.url())
                    .contains("Try, in another terminal:");

            Map<String, Result> results = runTour(mesh, steps, "");

            assertTourResults(results);
        }
    }

    /**
     * Off the default path: {@code mesh up} on another port with its state in another directory, and a terminal
     * that knows nothing of it. The banner's own commands, typed as printed, must reach this mesh with its token;
     * then the whole tour runs in that terminal.
     */
    @Test
    void offTheDefaultPathTheBannersCommandsRunTheTour() throws IOException {
        List<Step> steps = tour(Files.readString(MeshProcess.root().resolve("README.md")));
        try (LocalMesh mesh = LocalMesh.offDefaultPath(dir, "state/mesh-b")) {
            mesh.start();
            List<String> banner = bannerCommands(mesh.process().log());
            assertThat(banner.getFirst())
                    .as("the banner's first line points the CLI at this mesh")
                    .startsWith("export MESH_COORDINATOR=" + mesh.url() + " ")
                    .contains("MESH_DATA_DIR=" + dir.resolve("state/mesh-b").toRealPath());
            String terminal = banner.getFirst() + "; ";
            for (String command : banner.subList(1, banner.size())) {
                Result result = mesh.bash(terminal + command, COMMAND);
                assertThat(result.exitCode())
                        .as("banner command %s%nstdout: %s%nstderr: %s", command, result.stdout(), result.stderr())
                        .isZero();
            }
            assertThat(mesh.bash("./mesh jobs --coordinator " + mesh.url(), COMMAND)
                            .stderr())
                    .as("without the banner's export the CLI finds no token, and says where it looked and what to do")
                    .contains("no API token")
                    .contains("MESH_DATA_DIR")
                    .contains(dir.toRealPath().resolve(".mesh/admin.token").toString());

            assertTourResults(runTour(mesh, steps, terminal));
        }
    }

    /** The lines under "Try, in another terminal:" in the {@code mesh up} banner, as printed (indent removed). */
    static List<String> bannerCommands(String log) {
        List<String> lines = log.lines().toList();
        int at = lines.indexOf("Try, in another terminal:");
        assertThat(at).as("the banner in:%n%s", log).isNotNegative();
        List<String> commands = new ArrayList<>();
        for (String line : lines.subList(at + 1, lines.size())) {
            if (!line.startsWith("  ")) {
                break;
            }
            commands.add(line.strip());
        }
        assertThat(commands).as("commands in the banner").isNotEmpty();
        return commands;
    }

    /** What the tour's commands must have printed, beyond the lines the README shows. */
    private static void assertTourResults(Map<String, Result> results) {
        Result echo = results.get("./mesh submit echo --payload '{\"hello\":\"mesh\"}' --wait");
        assertThat(echo).as("the tour runs the echo with --wait").isNotNull();
        assertThat(echo.stdout()).contains("\"hello\" : \"mesh\"");
        Result jobs = results.get("./mesh jobs");
        assertThat(jobs.stdout())
                .containsPattern("(?m)^ID\\s+TYPE\\s+STATUS\\s+NODE\\s+ATTEMPT\\s+AGE$")
                .containsPattern("echo\\s+COMPLETED");
        Result job = results.get("./mesh job <ID>");
        assertThat(job.stdout())
                .contains("Routing (least-loaded)")
                .contains("Attempts")
                .contains("Winner:");
        Result logs = results.get("./mesh logs -f <ID>");
        assertThat(logs.stderr())
                .contains("status    RUNNING")
                .contains("progress  100%")
                .contains("end       COMPLETED");
        Result cancel = results.get("./mesh cancel <ID>");
        String cancelled = UUID.matcher(results.get("./mesh submit sleep --payload '{\"ms\":60000}'")
                        .stdout())
                .results()
                .findFirst()
                .orElseThrow()
                .group();
        assertThat(cancel.stdout().strip()).isEqualTo("job " + cancelled + " CANCELLED");
        Result nodes = results.get("./mesh nodes");
        assertThat(nodes.stdout()).containsPattern("local\\s+HEALTHY\\s+websocket");
    }

    /**
     * Runs the tour's steps in order through bash in the mesh's work dir, each after {@code prefix} (what the user
     * typed first in that terminal), checking each exits 0 and shows what the README promises; returns the results by
     * the README's command line.
     */
    private static Map<String, Result> runTour(LocalMesh mesh, List<Step> steps, String prefix) {
        String id = null;
        Map<String, Result> results = new HashMap<>();
        for (Step step : steps) {
            String line = step.command();
            if (line.contains("<ID>")) {
                assertThat(id).as("an id printed by a submit before: " + line).isNotNull();
                line = line.replace("<ID>", id);
            }
            Result result = mesh.bash(prefix + line, COMMAND);
            assertThat(result.exitCode())
                    .as("exit code of %s%nstdout: %s%nstderr: %s", line, result.stdout(), result.stderr())
                    .isZero();
            if (step.command().startsWith("./mesh submit")) {
                Matcher printed = UUID.matcher(result.stdout());
                if (!step.command().contains("--wait")) {
                    assertThat(printed.find())
                            .as("submit prints the job id: " + result.stdout())
                            .isTrue();
                    id = printed.group();
                }
            }
            assertShows(step, line, result);
            results.put(step.command(), result);
        }

        return results;
    }

    /** Every line the README shows for this step is in the real output (stdout and stderr), compared by shape. */
    private static void assertShows(Step step, String line, Result result) {
        Map<String, Integer> actual = new HashMap<>();
        (result.stdout() + "\n" + result.stderr())
                .lines()
                .map(ReadmeTourTest::shape)
                .filter(s -> !s.isEmpty())
                .forEach(s -> actual.merge(s, 1, Integer::sum));
        Map<String, Integer> expected = new HashMap<>();
        step.expected().stream()
                .map(ReadmeTourTest::shape)
                .filter(s -> !s.isEmpty())
                .forEach(s -> expected.merge(s, 1, Integer::sum));
        expected.forEach((shape, count) -> assertThat(actual.getOrDefault(shape, 0))
                .as(
                        "README line of shape '%s' in the output of %s%nstdout:%n%s%nstderr:%n%s",
                        shape, line, result.stdout(), result.stderr())
                .isGreaterThanOrEqualTo(count));
    }

    /** A line with what differs between runs replaced by placeholders and runs of blanks collapsed. */
    static String shape(String line) {
        return UUID.matcher(line)
                .replaceAll("<ID>")
                .replaceAll("did:key:\\S+", "<NODE>")
                .replaceAll("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z", "<TIME>")
                .replaceAll("\\b\\d+(\\.\\d+)?(ms|s|m|h|d)\\b", "<AGE>")
                .replaceAll("\\b\\d+%", "<N>%")
                .replaceAll("\\b\\d+/\\d+\\b", "<N>/<N>")
                .replaceAll("\\s+", " ")
                .strip();
    }

    private static String firstCommand(String readme) {
        Matcher block = Pattern.compile("(?s)```bash\\n(.*?)```").matcher(readme);
        assertThat(block.find()).as("a bash block in the README").isTrue();
        return block.group(1)
                .lines()
                .findFirst()
                .orElseThrow()
                .replaceAll("\\s+#.*", "")
                .strip();
    }

    /** The tour's steps: its section's bash blocks' {@code ./mesh} lines, each with the text block that follows. */
    static List<Step> tour(String readme) {
        int start = readme.indexOf("## A five-minute tour");
        assertThat(start).as("the tour section").isNotNegative();
        int end = readme.indexOf("\n## ", start + 1);
        String section = end < 0 ? readme.substring(start) : readme.substring(start, end);
        List<Step> steps = new ArrayList<>();
        Matcher block = Pattern.compile("(?s)```(bash|text)\\n(.*?)```").matcher(section);
        while (block.find()) {
            List<String> lines = block.group(2).lines().toList();
            if (block.group(1).equals("bash")) {
                lines.stream().filter(l -> l.startsWith("./mesh")).forEach(l -> steps.add(new Step(l, List.of())));
            } else {
                assertThat(steps).as("a text block follows a command").isNotEmpty();
                Step last = steps.removeLast();
                steps.add(new Step(last.command(), lines));
            }
        }
        return steps;
    }
}
