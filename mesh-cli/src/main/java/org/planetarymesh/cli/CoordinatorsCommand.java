package org.planetarymesh.cli;

import java.time.Instant;
import java.util.List;
import org.planetarymesh.client.CoordinatorInfo;
import org.planetarymesh.client.MeshClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code mesh coordinators}: the coordinators sharing the store, and which one leads. */
@Command(
        name = "coordinators",
        description = "List the coordinators sharing the store (several on PostgreSQL) and which one leads.")
public final class CoordinatorsCommand extends ClientCommand {

    @Mixin
    OutputOption output;

    @Override
    protected int run(MeshClient client) {
        if (output.json()) {
            printJson(client.getJson("/v1/coordinators"));
            return 0;
        }
        out().print(table(client.coordinators(), Instant.now()));
        out().flush();
        return 0;
    }

    /** The table: URL, ROLE, EPOCH, ALIVE, SEEN (the coordinator that answered is marked with *). */
    static String table(List<CoordinatorInfo> coordinators, Instant now) {
        Table table = new Table("URL", "ROLE", "EPOCH", "ALIVE", "SEEN");
        for (CoordinatorInfo c : coordinators) {
            table.row(
                    c.self() ? c.url() + " *" : c.url(),
                    c.role(),
                    c.epoch() == null ? null : c.epoch().toString(),
                    c.alive() ? "yes" : "no",
                    c.seenAt() == null ? null : Cells.age(c.seenAt(), now) + " ago");
        }
        return table.render();
    }
}
