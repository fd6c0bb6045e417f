package org.planetarymesh.cli.market;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.planetarymesh.cli.ClientCommand;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.coordinator.market.SignedAction;
import org.planetarymesh.core.identity.SigningKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mesh purchases [--party DID] [--status S]} lists purchases; {@code accept|reject} (the seller's node key) and
 * {@code refund|retry} (the buyer's key) act on one.
 */
@Command(
        name = "purchases",
        description = "Purchases; the seller accepts or rejects, the buyer resolves a dispute by refund or retry.",
        subcommands = {
            PurchasesCommand.Accept.class,
            PurchasesCommand.Reject.class,
            PurchasesCommand.Refund.class,
            PurchasesCommand.Retry.class
        })
public final class PurchasesCommand extends ClientCommand {

    @Option(names = "--party", paramLabel = "DID", description = "Only purchases this did bought or sold.")
    String party;

    @Option(names = "--status", paramLabel = "STATUS", description = "Only purchases in this status.")
    String status;

    @Override
    protected int run(MeshClient client) {
        StringBuilder query = new StringBuilder("/v1/purchases?");
        if (party != null) {
            query.append("party=").append(party).append('&');
        }
        if (status != null) {
            query.append("status=").append(status);
        }
        JsonNode answer = MarketCalls.call(client, "GET", query.toString(), null);
        out().printf("%-42s %-11s %8s %6s %-24s %s%n", "ID", "STATUS", "PRICE", "FEE", "OFFERING", "BUYER");
        for (JsonNode p : answer.path("purchases")) {
            out().printf(
                            "%-42s %-11s %8d %6d %-24s %s%n",
                            p.path("id").asText(),
                            p.path("status").asText(),
                            p.path("price").asLong(),
                            p.path("fee").asLong(),
                            p.path("offering").asText(),
                            p.path("buyer").asText());
        }
        out().flush();
        return 0;
    }

    /** One signed action on a purchase. */
    abstract static class Action extends ClientCommand {

        @Parameters(index = "0", paramLabel = "PURCHASE", description = "The purchase id.")
        String purchase;

        @Option(names = "--key", required = true, paramLabel = "FILE", description = "The signing party's key.")
        Path key;

        abstract String action();

        @Override
        protected int run(MeshClient client) {
            SigningKey signer = MarketCalls.key(key);
            JsonNode p = MarketCalls.call(
                    client,
                    "POST",
                    "/v1/purchases/" + purchase + "/" + action(),
                    MarketCalls.json(SignedAction.sign(signer, action(), purchase)));
            out().println(p.path("id").asText() + "  " + p.path("status").asText());
            out().flush();
            return 0;
        }
    }

    @Command(name = "accept", description = "Accept a CREATED purchase (the seller node's key).")
    static final class Accept extends Action {
        @Override
        String action() {
            return "accept";
        }
    }

    @Command(name = "reject", description = "Reject a CREATED purchase; the buyer is refunded (seller's key).")
    static final class Reject extends Action {
        @Override
        String action() {
            return "reject";
        }
    }

    @Command(name = "refund", description = "Resolve a DISPUTED purchase by refund (the buyer's key).")
    static final class Refund extends Action {
        @Override
        String action() {
            return "refund";
        }
    }

    @Command(name = "retry", description = "Resolve a DISPUTED purchase by running it again (the buyer's key).")
    static final class Retry extends Action {
        @Override
        String action() {
            return "retry";
        }
    }
}
