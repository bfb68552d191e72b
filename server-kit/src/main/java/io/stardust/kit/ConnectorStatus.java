package io.stardust.kit;

import java.util.List;
import java.util.Optional;

/**
 * What {@code GET /connectors/{name}/status} says about a connector and its tasks.
 *
 * @param name  the connector's name
 * @param state {@code UNASSIGNED}, {@code RUNNING}, {@code PAUSED}, {@code STOPPED}, {@code FAILED} or {@code RESTARTING}
 * @param trace the connector's stack trace when it failed, else null
 * @param tasks the tasks the worker has started so far, by id
 */
public record ConnectorStatus(String name, String state, String trace, List<Task> tasks) {

    public static final String RUNNING = "RUNNING";
    public static final String FAILED = "FAILED";

    public ConnectorStatus {
        tasks = List.copyOf(tasks);
    }

    /** One task: its id, its state (same values as the connector's) and its stack trace when it failed. */
    public record Task(int id, String state, String trace) {
    }

    /** The connector runs and so does each of exactly {@code expectedTasks} tasks. */
    public boolean isRunning(int expectedTasks) {
        return RUNNING.equals(state) && tasks.size() == expectedTasks
                && tasks.stream().allMatch(t -> RUNNING.equals(t.state()));
    }

    /** The stack trace of the failed connector, or of its first failed task (prefixed {@code task N:}). */
    public Optional<String> failure() {
        if (FAILED.equals(state)) {
            return Optional.of(String.valueOf(trace));
        }
        return tasks.stream().filter(t -> FAILED.equals(t.state())).findFirst()
                .map(t -> "task " + t.id() + ": " + t.trace());
    }
}
