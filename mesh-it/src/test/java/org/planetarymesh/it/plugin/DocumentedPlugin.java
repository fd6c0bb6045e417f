package org.planetarymesh.it.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.planetarymesh.it.MeshProcess;

/**
 * The example executor plugin of {@code docs/EXECUTORS.md}, built from the page itself: every code block preceded by
 * {@code <!-- file: PATH -->} is written to PATH, the Java sources are compiled against the executor API and Jackson
 * alone (as the plugin's pom declares), and the classes and resources are packed into a jar. So the page's example
 * cannot drift from what works.
 */
public final class DocumentedPlugin {
    private static final Pattern FILE_BLOCK =
            Pattern.compile("<!-- file: (\\S+) -->\\R```[a-z]*\\R(.*?)\\R```", Pattern.DOTALL);
    /** What the example may compile against: the API module and the Jackson it exposes. */
    private static final Pattern API_CLASSPATH =
            Pattern.compile(".*(mesh-executor-api|jackson-databind|jackson-core|jackson-annotations).*");

    private final Path project;
    private final Map<String, String> files;

    private DocumentedPlugin(Path project, Map<String, String> files) {
        this.project = project;
        this.files = files;
    }

    /** Writes the page's files under {@code project}. */
    public static DocumentedPlugin extract(Path project) {
        try {
            String page = Files.readString(MeshProcess.root().resolve("docs/EXECUTORS.md"));
            Map<String, String> files = new LinkedHashMap<>();
            Matcher m = FILE_BLOCK.matcher(page);
            while (m.find()) {
                files.put(m.group(1), m.group(2) + "\n");
                Path file = project.resolve(m.group(1));
                Files.createDirectories(file.getParent());
                Files.writeString(file, m.group(2) + "\n");
            }
            return new DocumentedPlugin(project, files);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text of one of the page's files, e.g. {@code pom.xml}. */
    public String file(String path) {
        assertThat(files).as("docs/EXECUTORS.md has a block for " + path).containsKey(path);
        return files.get(path);
    }

    /** The directory the files were written to. */
    public Path project() {
        return project;
    }

    /** Compiles the sources against the executor API alone and packs {@code jarName} in {@code project}. */
    public Path buildJar(String jarName) throws IOException {
        Path classes = Files.createDirectories(project.resolve("classes"));
        List<String> sources;
        try (Stream<Path> walk = Files.walk(project.resolve("src/main/java"))) {
            sources = walk.filter(p -> p.toString().endsWith(".java"))
                    .map(Path::toString)
                    .toList();
        }
        assertThat(sources).as("the page holds the example's sources").isNotEmpty();
        String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> API_CLASSPATH.matcher(entry).matches())
                .reduce((a, b) -> a + File.pathSeparator + b)
                .orElseThrow();
        List<String> args = new ArrayList<>(List.of("--release", "25", "-d", classes.toString(), "-cp", classpath));
        args.addAll(sources);
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int rc = ToolProvider.getSystemJavaCompiler()
                .run(
                        null,
                        null,
                        new PrintStream(diagnostics, true, StandardCharsets.UTF_8),
                        args.toArray(String[]::new));
        assertThat(rc)
                .as("the documented example compiles against the executor API alone: " + diagnostics)
                .isZero();
        Path jar = project.resolve(jarName);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            add(out, classes);
            add(out, project.resolve("src/main/resources"));
        }
        return jar;
    }

    private static void add(JarOutputStream out, Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
            out.putNextEntry(new JarEntry(root.relativize(file).toString().replace(File.separatorChar, '/')));
            Files.copy(file, (OutputStream) out);
            out.closeEntry();
        }
    }
}
