package org.planetarymesh.coordinator.leadership;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.LongConsumer;
import org.planetarymesh.coordinator.CoordinatorConfig;
import org.planetarymesh.coordinator.auth.AdminToken;
import org.planetarymesh.coordinator.auth.ApiTokens;
import org.planetarymesh.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a coordinator on PostgreSQL becomes the leader: it serves as a standby ({@link StandbyServer}) on its port
 * until it holds the lease, then fences the store's writes with its epoch. What it does once it has led and lost the
 * lease is {@link #EXIT}: the process ends at once (exit code {@value #LOST_EXIT_CODE}), since everything it holds in
 * memory may be stale and any write it tries is refused anyway; a supervisor (systemd) starts it again as a standby.
 */
public final class Succession {

    /** The exit code of a coordinator that lost the leadership (EX_TEMPFAIL: start it again). */
    public static final int LOST_EXIT_CODE = 75;

    private static final Logger LOG = LoggerFactory.getLogger(Succession.class);

    /** Ends the process at once, without shutdown hooks: a deposed leader must not act any more. */
    public static final LongConsumer EXIT = epoch -> {
        LOG.error("exiting (code {}): another coordinator leads at epoch {}", LOST_EXIT_CODE, epoch);
        Runtime.getRuntime().halt(LOST_EXIT_CODE);
    };

    private Succession() {}

    /** What {@link #await} returns: the leadership held, and the port the standby served on (the leader's too). */
    public record Led(Leadership leadership, int port) {}

    /**
     * Serves as a standby until this coordinator holds the lease, then fences {@code database}'s writes; returns null
     * if interrupted first. {@code onLost} hears (once) if a write or a renewal later finds the lease taken over.
     */
    public static Led await(CoordinatorConfig config, AdminToken token, Database database, LongConsumer onLost)
            throws InterruptedException {
        Leadership leadership = new Leadership(
                database.lease(),
                config.leadership(),
                Leadership.idIn(config.dataDir()),
                config.leadership().advertiseUrl(),
                System::nanoTime);
        StandbyServer standby =
                StandbyServer.start(config, leadership, new ApiTokens(token, database.tokens()), database.jobs());
        int port = standby.port();
        String url = config.leadership().advertiseUrl() != null
                ? config.leadership().advertiseUrl()
                : localUrl(config, port);
        leadership.url(url);
        long epoch;
        try {
            LOG.info("standby coordinator on {}: waiting for the lease (leader: {})", url, leaderOrNone(leadership));
            epoch = leadership.awaitLeadership();
        } finally {
            standby.close();
        }
        if (epoch < 0) {
            leadership.close();
            return null;
        }
        database.fenceWrites(epoch, current -> leadership.lost(current, onLost));
        // Renew from now on, not once started: recovering and starting the server can take longer than a lease.
        leadership.lead(onLost);
        return new Led(leadership, port);
    }

    /** Meters: {@code mesh_coordinator_leader} (1 on the leader) and {@code mesh_coordinator_epoch}. */
    public static void meters(MeterRegistry registry, Leadership leadership) {
        Gauge.builder(
                        "mesh_coordinator_leader",
                        () -> leadership == null || leadership.role() == CoordinatorRole.LEADER ? 1 : 0)
                .description("1 while this coordinator is the leader (runs the scheduler), 0 on a standby")
                .register(registry);
        Gauge.builder("mesh_coordinator_epoch", () -> leadership == null ? 0 : leadership.epoch())
                .description("The lease epoch this coordinator leads under (0 on SQLite, one coordinator)")
                .register(registry);
    }

    private static String leaderOrNone(Leadership leadership) {
        String leader = leadership.leaderUrl();
        return leader == null ? "none yet" : leader;
    }

    private static String localUrl(CoordinatorConfig config, int port) {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        if (host.equals("0.0.0.0")) {
            host = "127.0.0.1";
        }
        return (config.tls() == null ? "http://" : "https://") + host + ":" + port;
    }
}
