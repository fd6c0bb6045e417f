package org.planetarymesh.testkit.plugin;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.ToolProvider;

/**
 * A user's plugin as a test makes it: one Java source compiled at test time against a class path, packed into a jar
 * with its {@code META-INF/services} registration, as someone outside this repository would ship it.
 */
public final class PluginJar {

    private PluginJar() {}

    /**
     * Compiles {@code source} (the class {@code className}, e.g. {@code com.example.ShoutExecutor}) against
     * {@code classPath}, and writes {@code workDir/<simple name>.jar} holding its classes and a service file that
     * registers it as an implementation of {@code service} (the interface's binary name). Returns the jar.
     */
    public static Path build(Path workDir, String className, String source, String classPath, String service)
            throws IOException {
        String simpleName = className.substring(className.lastIndexOf('.') + 1);
        Path src = Files.createDirectories(workDir.resolve(simpleName + "-src"));
        Path classes = Files.createDirectories(workDir.resolve(simpleName + "-classes"));
        Path file = src.resolve(simpleName + ".java");
        Files.writeString(file, source);
        StringWriter diagnostics = new StringWriter();
        boolean compiled = ToolProvider.getSystemJavaCompiler()
                .getTask(
                        diagnostics,
                        null,
                        null,
                        List.of("-d", classes.toString(), "-cp", classPath),
                        null,
                        ToolProvider.getSystemJavaCompiler()
                                .getStandardFileManager(null, null, StandardCharsets.UTF_8)
                                .getJavaFileObjects(file))
                .call();
        if (!compiled) {
            throw new AssertionError("the plugin " + className + " does not compile:\n" + diagnostics);
        }
        Path jar = workDir.resolve(simpleName + ".jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                Stream<Path> files = Files.walk(classes)) {
            for (Path classFile : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(classFile)
                        .toString()
                        .replace(classFile.getFileSystem().getSeparator(), "/")));
                Files.copy(classFile, (OutputStream) out);
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry("META-INF/services/" + service));
            out.write((className + "\n").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return jar;
    }
}
