package org.planetarymesh.agent.executor.builtin;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** Kills a process and every process it started, so a cancelled shell job leaves nothing behind. */
public final class ProcessTree {
    private ProcessTree() {}

    /**
     * Kills {@code root} and its descendants and waits up to 2 s for them to exit. The descendants are listed before
     * the root dies because an orphan is re-parented to init and no longer appears under it.
     */
    public static void kill(ProcessHandle root) {
        List<ProcessHandle> descendants = root.descendants().toList();
        root.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        for (ProcessHandle p : concat(root, descendants)) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                p.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                // Still running after the wait or already gone: nothing more a SIGKILL can do.
            }
        }
    }

    private static List<ProcessHandle> concat(ProcessHandle root, List<ProcessHandle> rest) {
        var all = new java.util.ArrayList<ProcessHandle>(rest.size() + 1);
        all.add(root);
        all.addAll(rest);
        return all;
    }
}
