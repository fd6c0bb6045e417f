package org.planetarymesh.coordinator.leadership;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.planetarymesh.store.CoordinatorLease;
import org.planetarymesh.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This coordinator's part in the lease on PostgreSQL: as a standby it watches the lease and takes it over once the
 * leader's renewals have stood still for a whole lease on this machine's own clock; as the leader it renews it.
 *
 * <p>A standby that cannot read the lease (the database is down) starts its count again, so when the database comes
 * back the leader has a whole lease to renew before anyone takes over: a database restart does not change the
 * leader. The leader keeps leading through such an outage (its writes wait in the group commit); if, once the
 * database is back, the lease turns out to belong to another, it has lost: {@code onLost} is called once, and the
 * fence on the write pool has refused every write it tried since.
 *
 * <p>The id of a coordinator is kept in its data dir ({@code coordinator.id}); the data dir's lock guarantees one
 * process per id, so a lease held under this id belongs to an earlier run of this coordinator and is taken at once.
 */
public final class Leadership implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);
    private static final String ID_FILE = "coordinator.id";

    private final CoordinatorLease lease;
    private final LeadershipSettings settings;
    private final String id;
    private final LongSupplier nanos;
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile String url;
    private volatile CoordinatorRole role = CoordinatorRole.STANDBY;
    private volatile CoordinatorLease.State lastSeen;
    private volatile boolean databaseUp = true;
    private volatile long epoch = -1;
    private volatile boolean lost;
    private Thread renewer;

    /** Leadership of coordinator {@code id} at {@code url} on {@code lease}. */
    public Leadership(CoordinatorLease lease, LeadershipSettings settings, String id, String url, LongSupplier nanos) {
        this.lease = lease;
        this.settings = settings;
        this.id = id;
        this.url = url;
        this.nanos = nanos;
    }

    /** The id kept in {@code dataDir}, made on first start. */
    public static String idIn(Path dataDir) {
        Path file = dataDir.resolve(ID_FILE);
        try {
            if (Files.exists(file)) {
                String existing = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (!existing.isEmpty()) {
                    return existing;
                }
            }
            String id = UUID.randomUUID().toString();
            Files.writeString(file, id + "\n", StandardCharsets.UTF_8);
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }

    public String id() {
        return id;
    }

    public CoordinatorRole role() {
        return role;
    }

    /** The epoch this coordinator leads under; -1 while it is a standby. */
    public long epoch() {
        return epoch;
    }

    /** Whether the lease was lost after this coordinator led. */
    public boolean lost() {
        return lost;
    }

    /** The URL of the leader as last seen, or null if none is known (or the database cannot be read). */
    public String leaderUrl() {
        if (role == CoordinatorRole.LEADER) {
            return url;
        }
        CoordinatorLease.State seen = lastSeen;
        return seen == null || !databaseUp ? null : seen.holderUrl();
    }

    /** The lease's epoch as last seen (for a standby's {@code /healthz}). */
    public long seenEpoch() {
        CoordinatorLease.State seen = lastSeen;
        return role == CoordinatorRole.LEADER ? epoch : seen == null ? -1 : seen.epoch();
    }

    /** Whether the last look at the database succeeded. */
    public boolean databaseUp() {
        return databaseUp;
    }

    /** Sets the URL this coordinator is reached at (known once its server listens). */
    public void url(String value) {
        this.url = value;
    }

    /**
     * Waits as a standby until this coordinator holds the lease; returns its epoch. Ends early (with -1) when
     * {@link #close} is called.
     */
    public long awaitLeadership() throws InterruptedException {
        long poll = settings.lookEvery().toMillis();
        long seenSince = nanos.getAsLong();
        CoordinatorLease.State counted = null;
        while (closed.getCount() > 0) {
            try {
                CoordinatorLease.State state = lease.read();
                lastSeen = state;
                databaseUp = true;
                lease.report(id, url, CoordinatorRole.STANDBY.id());
                boolean mine = state.holder() == null || state.holder().equals(id);
                if (counted == null || state.epoch() != counted.epoch() || state.renewals() != counted.renewals()) {
                    counted = state;
                    seenSince = nanos.getAsLong();
                }
                boolean expired =
                        nanos.getAsLong() - seenSince >= settings.lease().toNanos();
                if (mine || expired) {
                    OptionalLong taken = lease.takeOver(state, id, url);
                    if (taken.isPresent()) {
                        becomeLeader(taken.getAsLong(), state);
                        return taken.getAsLong();
                    }
                }
            } catch (StoreException e) {
                if (databaseUp) {
                    LOG.warn("cannot read the coordinators' lease; waiting for the database: {}", e.getMessage());
                }
                databaseUp = false;
                counted = null; // the leader gets a whole lease to renew once the database is back
            }
            if (closed.await(poll, TimeUnit.MILLISECONDS)) {
                return -1;
            }
        }
        return -1;
    }

    private void becomeLeader(long newEpoch, CoordinatorLease.State before) {
        epoch = newEpoch;
        role = CoordinatorRole.LEADER;
        LOG.info(
                "leader of the coordinators at epoch {} (lease was {})",
                newEpoch,
                before.holder() == null ? "free" : "held by " + before.holderUrl() + " at epoch " + before.epoch());
        try {
            lease.report(id, url, CoordinatorRole.LEADER.id());
        } catch (StoreException e) {
            LOG.warn("could not report this coordinator as leader: {}", e.getMessage());
        }
    }

    /** Starts renewing the lease held at {@link #epoch}; {@code onLost} hears once if another took it over. */
    public void lead(LongConsumer onLost) {
        if (role != CoordinatorRole.LEADER) {
            throw new IllegalStateException("not the leader");
        }
        renewer = Thread.ofPlatform().name("mesh-lease").daemon(true).start(() -> renewLoop(onLost));
    }

    private void renewLoop(LongConsumer onLost) {
        long every = settings.renewEvery().toMillis();
        try {
            while (!closed.await(every, TimeUnit.MILLISECONDS)) {
                try {
                    if (!lease.renew(epoch, id)) {
                        lost(lease.read().epoch(), onLost);
                        return;
                    }
                    if (!databaseUp) {
                        LOG.info("renewed the coordinators' lease again at epoch {}", epoch);
                    }
                    databaseUp = true;
                    lease.report(id, url, CoordinatorRole.LEADER.id());
                } catch (StoreException e) {
                    if (databaseUp) {
                        LOG.warn("cannot renew the coordinators' lease; still leading: {}", e.getMessage());
                    }
                    databaseUp = false;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Records that the lease is at {@code current}, no longer this coordinator's; tells {@code onLost} once. */
    public synchronized void lost(long current, LongConsumer onLost) {
        if (lost) {
            return;
        }
        lost = true;
        role = CoordinatorRole.STANDBY;
        LOG.error(
                "lost the leadership: this coordinator led at epoch {}, the lease is now at epoch {}; its writes are"
                        + " refused from now on",
                epoch,
                current);
        onLost.accept(current);
    }

    /** The coordinators sharing the database, for {@code GET /v1/coordinators}. */
    public List<Map<String, Object>> members() {
        CoordinatorLease.State state = lease.read();
        long aliveWithin = 3 * settings.lease().toMillis();
        List<Map<String, Object>> out = new ArrayList<>();
        for (CoordinatorLease.Member m : lease.members()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", m.id());
            row.put("url", m.url());
            boolean leads = m.id().equals(state.holder());
            row.put("role", leads ? CoordinatorRole.LEADER.id() : CoordinatorRole.STANDBY.id());
            row.put("alive", m.silentMillis() <= aliveWithin);
            row.put("epoch", leads ? state.epoch() : null);
            row.put("started_at", m.startedAt().toString());
            row.put("seen_at", m.seenAt().toString());
            row.put("self", m.id().equals(id));
            out.add(row);
        }
        return out;
    }

    /** What {@code /healthz} adds for this coordinator. */
    public Map<String, Object> health() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("role", role.id());
        body.put("epoch", seenEpoch());
        body.put("leader", leaderUrl());
        return body;
    }

    /** The view the API shows. */
    public LeadershipView view() {
        return new LeadershipView() {
            @Override
            public Map<String, Object> health() {
                return Leadership.this.health();
            }

            @Override
            public List<Map<String, Object>> coordinators() {
                return members();
            }
        };
    }

    /** Stops renewing or waiting, and takes this coordinator off the list (best effort). */
    @Override
    public void close() {
        closed.countDown();
        Thread t = renewer;
        if (t != null) {
            try {
                t.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            if (role == CoordinatorRole.LEADER && !lost) {
                lease.release(epoch, id);
            }
            lease.leave(id);
        } catch (StoreException e) {
            LOG.debug("could not remove this coordinator from the list: {}", e.getMessage());
        }
    }
}
