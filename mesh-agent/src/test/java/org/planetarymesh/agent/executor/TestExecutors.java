package org.planetarymesh.agent.executor;

import java.util.Map;
import org.planetarymesh.agent.executor.builtin.HttpExecutor;
import org.planetarymesh.agent.executor.builtin.ShellExecutor;
import org.planetarymesh.executor.ExecutorConfig;

/** Built-in executors configured as the agent would configure them, for tests that run them without an agent. */
public final class TestExecutors {
    private TestExecutors() {}

    /** A shell executor allowed to run {@code allow} (comma-separated; empty = shell off). */
    public static ShellExecutor shell(String allow) {
        ShellExecutor shell = new ShellExecutor();
        shell.configure(ExecutorConfig.of("shell", allow.isEmpty() ? Map.of() : Map.of("allow", allow)));
        return shell;
    }

    /** An http executor allowed to call {@code allow} (comma-separated; empty = http off). */
    public static HttpExecutor http(String allow) {
        HttpExecutor http = new HttpExecutor();
        http.configure(ExecutorConfig.of("http", allow.isEmpty() ? Map.of() : Map.of("allow", allow)));
        return http;
    }
}
