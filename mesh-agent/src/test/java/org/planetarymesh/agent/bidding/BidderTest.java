package org.planetarymesh.agent.bidding;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.planetarymesh.agent.identity.NodeIdentity;
import org.planetarymesh.core.auction.BidSigning;
import org.planetarymesh.core.job.Resources;
import org.planetarymesh.core.protocol.Message;

/** An agent's pricing and its answers: bids within its free slots, signed once per frame, declines saying why. */
class BidderTest {

    private static final NodeIdentity NODE = NodeIdentity.fromSeed(
            HexFormat.of().parseHex("0000000000000000000000000000000000000000000000000000000000000001"));

    private static final BiddingPolicy POLICY =
            new BiddingPolicy(true, Map.of("echo", 3L, "*", 10L), Map.of("sleep", 2L), 4, Map.of("echo", 7L), true);

    private static Message.JobAnnouncement announced(String job, String type, Long maxPrice, Long timeoutMs) {
        return new Message.JobAnnouncement(job, null, type, null, null, maxPrice, "nonce-" + job, 1, timeoutMs);
    }

    @Test
    void aPriceIsPerJobPlusPerSecondOfTheTimeLimitAndNeverBelowTheMinimum() {
        assertThat(POLICY.price("echo", null))
                .as("3 per job, below the minimum 4")
                .isEqualTo(4);
        assertThat(POLICY.price("sleep", 2_500L))
                .as("* per job 10, 2 per second for 3 s")
                .isEqualTo(16);
        assertThat(POLICY.price("sleep", null))
                .as("one second without a time limit")
                .isEqualTo(12);
        assertThat(POLICY.price("other", null)).isEqualTo(10);
        assertThat(POLICY.eta("echo")).isEqualTo(7);
        assertThat(POLICY.standingPrices()).as("per-second types need a round").isEqualTo(Map.of("echo", 4L, "*", 10L));
        assertThat(BiddingPolicy.DEFAULT.standingPrices()).as("off by default").isEmpty();
    }

    @Test
    void aFrameOfAnnouncementsGetsBidsUpToTheFreeSlotsSignedOnceAndDeclinesForTheRest() {
        Bidder bidder = new Bidder(POLICY, NODE, () -> 2, new Resources(4, 1024, 0));

        List<Message> answers = bidder.answer(List.of(
                announced("a", "echo", null, null),
                announced("b", "echo", 3L, null),
                announced("c", "sleep", null, 1_000L),
                announced("d", "echo", null, null)));

        assertThat(answers.get(1))
                .isEqualTo(new Message.JobDecline("b", "nonce-b", "its price 4 is above the job's max_price 3"));
        assertThat(answers.get(3)).isEqualTo(new Message.JobDecline("d", "nonce-d", "no free slot"));
        Message.JobBid a = (Message.JobBid) answers.get(0);
        Message.JobBid c = (Message.JobBid) answers.get(2);
        assertThat(a.price()).isEqualTo(4);
        assertThat(c.price()).isEqualTo(12);
        assertThat(a.freeSlots()).isEqualTo(2);
        assertThat(a.signature()).as("one signature for the frame").isEqualTo(c.signature());
        for (Message.JobBid bid : List.of(a, c)) {
            assertThat(BidSigning.verifies(
                            NODE.rawPublicKey(), BidSigning.signedText(bid, NODE.nodeId()), bid.signature()))
                    .isTrue();
        }
    }

    @Test
    void aLoneBidIsSignedByItselfAndAFullAgentDeclines() {
        Message.JobBid alone = (Message.JobBid)
                new Bidder(POLICY, NODE, () -> 1, Resources.NONE).answer(announced("a", "echo", null, null));
        assertThat(alone.proof()).isNull();
        assertThat(BidSigning.verifies(
                        NODE.rawPublicKey(), BidSigning.canonical(alone, NODE.nodeId()), alone.signature()))
                .isTrue();

        assertThat(new Bidder(POLICY, NODE, () -> 0, Resources.NONE).answer(announced("a", "echo", null, null)))
                .isEqualTo(new Message.JobDecline("a", "nonce-a", "no free slot"));
    }
}
