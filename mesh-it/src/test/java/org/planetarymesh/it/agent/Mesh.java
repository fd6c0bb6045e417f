package org.planetarymesh.it.agent;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The harness's {@code MeshCluster} (a coordinator process and agent processes on loopback) for tests outside its
 * package: the harness classes are package-private and not ours to edit, so this reaches them through reflection and
 * adds nothing to their behaviour.
 */
public final class Mesh implements AutoCloseable {
    private static final String PACKAGE = "org.planetarymesh.it.";

    private final Object cluster;
    private final List<Proc> extra = new ArrayList<>();

    public Mesh(Path dir) {
        try {
            Constructor<?> constructor = Class.forName(PACKAGE + "MeshCluster").getDeclaredConstructor(Path.class);
            constructor.setAccessible(true);
            cluster = constructor.newInstance(dir);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The runnable jar the reactor built. */
    static Path jar() {
        try {
            Method m = Class.forName(PACKAGE + "MeshProcess").getDeclaredMethod("jar");
            m.setAccessible(true);
            return (Path) m.invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A free loopback port (nothing listens on it afterwards). */
    public static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Object call(String method, Class<?>[] types, Object... args) {
        try {
            Method m = cluster.getClass().getDeclaredMethod(method, types);
            m.setAccessible(true);
            return m.invoke(cluster, args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts (or restarts) the coordinator on the same port and data dir; returns once it listens. */
    public Proc startCoordinator(String... extraArgs) {
        return Proc.of(call("startCoordinator", new Class<?>[] {String[].class}, (Object) extraArgs));
    }

    /** Starts an agent process; returns once it is connected. */
    public Proc startAgent(String name, String... flags) {
        return Proc.of(call("startAgent", new Class<?>[] {String.class, String[].class}, name, flags));
    }

    /**
     * Starts an agent process with {@code jars} on its class path besides mesh.jar; returns once it is connected.
     * Closed with this mesh.
     */
    public Proc startAgentWithJars(String name, List<Path> jars, String... flags) {
        List<String> args = new ArrayList<>(List.of(
                "agent",
                "--coordinator",
                url(),
                "--token",
                token(),
                "--name",
                name,
                "--data-dir",
                dir().resolve("agent-" + name).toString()));
        args.addAll(List.of(flags));
        Proc agent = Proc.startWithClasspath("agent-" + name, dir(), jars, args.toArray(String[]::new));
        extra.add(agent);
        agent.awaitLog("connected to coordinator", java.time.Duration.ofSeconds(60));
        return agent;
    }

    public String url() {
        return (String) call("url", new Class<?>[0]);
    }

    public String token() {
        return (String) call("token", new Class<?>[0]);
    }

    public Path dir() {
        return (Path) call("dir", new Class<?>[0]);
    }

    @Override
    public void close() {
        extra.forEach(Proc::close);
        call("close", new Class<?>[0]);
    }
}
