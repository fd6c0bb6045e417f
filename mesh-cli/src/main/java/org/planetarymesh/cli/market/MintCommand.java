package org.planetarymesh.cli.market;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.planetarymesh.cli.ClientCommand;
import org.planetarymesh.client.MeshClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mesh mint ACCOUNT AMOUNT [--idempotency-key K]}: an admin creates credits. */
@Command(name = "mint", description = "Create credits in a did:key account (admin token).")
public final class MintCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "ACCOUNT", description = "The did:key account.")
    String account;

    @Parameters(index = "1", paramLabel = "AMOUNT", description = "Whole credits, at least 1.")
    long amount;

    @Option(names = "--idempotency-key", paramLabel = "KEY", description = "Makes a retried mint a no-op.")
    String idempotencyKey;

    @Override
    protected int run(MeshClient client) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("amount", amount);
        if (idempotencyKey != null) {
            body.put("key", idempotencyKey);
        }
        JsonNode a = MarketCalls.call(client, "POST", "/v1/accounts/" + account + "/mint", MarketCalls.json(body));
        out().println("minted " + a.path("minted").asLong() + "; "
                + a.path("account").path("id").asText() + "  "
                + a.path("account").path("balance").asLong() + " credits");
        out().flush();
        return 0;
    }
}
