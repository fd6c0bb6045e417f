package org.planetarymesh.cli.market;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.planetarymesh.cli.ClientCommand;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.coordinator.market.OfferingTerms;
import org.planetarymesh.coordinator.market.SignedAction;
import org.planetarymesh.core.identity.SigningKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mesh offerings [--seller DID]} lists offerings; {@code mesh offerings publish ...} sells one. */
@Command(
        name = "offerings",
        description = "Offerings on sale, with their statistics; 'publish' sells jobs of a capability.",
        subcommands = {OfferingsCommand.Publish.class})
public final class OfferingsCommand extends ClientCommand {

    @Option(names = "--seller", paramLabel = "DID", description = "Only this seller's offerings.")
    String seller;

    @Override
    protected int run(MeshClient client) {
        JsonNode answer =
                MarketCalls.call(client, "GET", "/v1/offerings" + (seller == null ? "" : "?seller=" + seller), null);
        out().printf(
                        "%-24s %-12s %8s %6s %-6s %6s %9s %8s  %s%n",
                        "ID", "CAPABILITY", "PRICE", "FEE", "ACCEPT", "SOLD", "COMPLETED", "DISPUTED", "SELLER");
        for (JsonNode o : answer.path("offerings")) {
            JsonNode stats = o.path("stats");
            out().printf(
                            "%-24s %-12s %8d %6d %-6s %6d %9d %8d  %s%n",
                            o.path("id").asText(),
                            o.path("capability").asText(),
                            o.path("price").asLong(),
                            o.path("fee").asLong(),
                            o.path("auto_accept").asBoolean() ? "auto" : "manual",
                            stats.path("sold").asLong(),
                            stats.path("completed").asLong(),
                            stats.path("disputed").asLong(),
                            o.path("seller").asText());
        }
        out().flush();
        return 0;
    }

    /** {@code mesh offerings publish --key NODE_KEY --capability C --price P ...}. */
    @Command(name = "publish", description = "Publish an offering, signed with the seller node's key.")
    static final class Publish extends ClientCommand {

        @Option(names = "--key", required = true, paramLabel = "FILE", description = "The node's identity/node.key.")
        Path key;

        @Option(names = "--capability", required = true, description = "The job type buyers get (e.g. echo).")
        String capability;

        @Option(names = "--price", required = true, description = "Credits per job.")
        long price;

        @Option(names = "--max-latency-ms", defaultValue = "30000", description = "Longest a job may run (<= 120000).")
        long maxLatencyMs;

        @Option(names = "--manual", description = "Accept purchases by hand ('mesh purchases accept').")
        boolean manual;

        @Option(names = "--accept-window-ms", defaultValue = "600000", description = "Unaccepted purchases expire.")
        long acceptWindowMs;

        @Option(names = "--description", defaultValue = "", description = "What buyers get.")
        String description;

        @Override
        protected int run(MeshClient client) {
            SigningKey seller = MarketCalls.key(key);
            OfferingTerms terms =
                    new OfferingTerms(capability, price, maxLatencyMs, !manual, acceptWindowMs, description);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("seller", seller.did());
            body.put("capability", capability);
            body.put("price", price);
            body.put("max_latency_ms", maxLatencyMs);
            body.put("auto_accept", !manual);
            body.put("accept_window_ms", acceptWindowMs);
            body.put("description", description);
            body.put(
                    "signature",
                    SignedAction.sign(seller, OfferingTerms.ACTION, terms.subject())
                            .get("signature"));
            JsonNode o = MarketCalls.call(client, "POST", "/v1/offerings", MarketCalls.json(body));
            out().println(o.path("id").asText());
            out().flush();
            return 0;
        }
    }
}
