package org.planetarymesh.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.util.List;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.schedule.Schedule;

/** The cron schedules of a mesh ({@code /v1/schedules}), from {@link MeshClient#schedules()}. */
public final class MeshSchedules {

    private final Transport transport;

    MeshSchedules(Transport transport) {
        this.transport = transport;
    }

    /** Creates a schedule; {@link MeshClientException} with each bad field in its details if it is refused. */
    public Schedule create(NewSchedule schedule) {
        return transport.send(
                transport
                        .request("/v1/schedules")
                        .header("Content-Type", "application/json")
                        .POST(transport.jsonBody(schedule)),
                Schedule.class);
    }

    /** Every schedule this token may see, oldest first. */
    public List<Schedule> list() {
        JsonNode answer = transport.send(transport.request("/v1/schedules").GET(), JsonNode.class);
        return transport.convert(answer.path("schedules"), transport.listOf(Schedule.class));
    }

    /** The schedule with this id; {@link NotFoundException} if there is none. */
    public Schedule get(String id) {
        return transport.send(transport.request(path(id)).GET(), Schedule.class);
    }

    public Schedule pause(String id) {
        return post(path(id) + "/pause", Schedule.class);
    }

    /** Resumes at the next tick from now. */
    public Schedule resume(String id) {
        return post(path(id) + "/resume", Schedule.class);
    }

    /** Makes one job from the schedule now, outside its ticks; returns it as stored. */
    public Job run(String id) {
        return post(path(id) + "/run", Job.class);
    }

    /** Deletes the schedule (its jobs stay); {@link NotFoundException} if there is none. */
    public void delete(String id) {
        transport.send(transport.request(path(id)).DELETE(), JsonNode.class);
    }

    private <T> T post(String path, Class<T> type) {
        return transport.send(transport.request(path).POST(HttpRequest.BodyPublishers.noBody()), type);
    }

    private static String path(String id) {
        return "/v1/schedules/" + Transport.encode(id);
    }
}
