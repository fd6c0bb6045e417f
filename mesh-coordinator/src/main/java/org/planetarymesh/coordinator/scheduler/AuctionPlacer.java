package org.planetarymesh.coordinator.scheduler;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.planetarymesh.coordinator.auction.AuctionSettings;
import org.planetarymesh.coordinator.auction.BidBook;
import org.planetarymesh.coordinator.auction.BidVerifier;
import org.planetarymesh.coordinator.auction.Disqualification;
import org.planetarymesh.coordinator.auction.Offer;
import org.planetarymesh.coordinator.auction.Reputation;
import org.planetarymesh.coordinator.auction.Selection;
import org.planetarymesh.coordinator.auth.AgentProof;
import org.planetarymesh.core.job.Attempt;
import org.planetarymesh.core.job.AuctionRecord;
import org.planetarymesh.core.job.BidSelection;
import org.planetarymesh.core.job.ErrorCode;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobError;
import org.planetarymesh.core.job.Routing;
import org.planetarymesh.core.protocol.Message;

/**
 * The {@code auction} placement policy (seed 002) on the multi-turn placer interface. A job is placed at once on the
 * best standing offer within its limits; otherwise it is announced ({@code job_announcement}, with a fresh nonce) to
 * every eligible node, and the round closes when every one of them answered or the window passed. The acceptable bids
 * (checked by {@link BidBook} on arrival, and here against price and requirements on closing) are ranked by the job's
 * selection policy ({@link Selection}); the best one that can take the job now wins. Without one the job is announced
 * again after a pause, and fails with {@code no_acceptable_bid} after the last round. The runners-up are kept until
 * the job ends: if the winner does not acknowledge the assignment or fails the attempt, the next of them gets it
 * before a new round is held, and a node that failed the job is never the first choice again.
 */
final class AuctionPlacer implements Placer {

    private static final int KEPT_REJECTIONS = 5;

    private final AuctionSettings settings;
    private final Reputation reputation;
    private final BidVerifier verifier;
    private final Function<Job, String> specCid;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, BidBook> open = new HashMap<>();
    private final Map<String, Long> nextRoundAt = new HashMap<>();
    private final Map<String, List<Selection.Ranked>> runnersUp = new HashMap<>();
    private final Map<String, byte[]> keys = new HashMap<>();

    /**
     * An auction placer. {@code specCid} gives the CID of a job's canonical spec for its announcements (null while
     * none is computed: the receipts feature supplies it).
     */
    AuctionPlacer(
            AuctionSettings settings, Reputation reputation, BidVerifier verifier, Function<Job, String> specCid) {
        this.settings = settings;
        this.reputation = reputation;
        this.verifier = verifier;
        this.specCid = specCid;
    }

    @Override
    public String name() {
        return "auction";
    }

    @Override
    public AckPolicy ackPolicy() {
        return new AckPolicy(settings.ackTimeout().toMillis(), settings.assignRetries());
    }

    @Override
    public Verdict place(Job job, Set<String> refusedBy, PlacementContext context) {
        BidBook book = open.get(job.id());
        if (book == null) {
            Set<String> failed = failedBefore(job, refusedBy);
            Verdict next = runnerUp(job, failed, context);
            if (next == null && settings.standingOffers()) {
                next = StandingOffers.place(job, failed, context, reputation, selection(job));
            }
            if (next != null) {
                return next;
            }
            book = new BidBook(settings.bidRevisions());
            open.put(job.id(), book);
            return announce(job, book, refusedBy, context);
        }
        long now = context.nowMillis();
        if (book.roundOpen()) {
            return book.allAnswered() || now >= book.closesAtMillis()
                    ? close(job, book, refusedBy, context)
                    : new Verdict.Pending(book.closesAtMillis());
        }
        long again = nextRoundAt.getOrDefault(job.id(), now);
        return now < again ? new Verdict.Pending(again) : announce(job, book, refusedBy, context);
    }

    @Override
    public String onMessage(NodeState from, Message message) {
        switch (message) {
            case Message.JobBid bid -> {
                BidBook book = open.get(bid.jobId());
                if (book == null) {
                    return null; // for a job no longer being auctioned: placed, or ended
                }
                book.receive(from.id, bid, () -> verifier.verifies(from.id, key(from), bid), reputation.score(from.id));
                return book.allAnswered() ? bid.jobId() : null;
            }
            case Message.JobDecline decline -> {
                BidBook book = open.get(decline.jobId());
                if (book == null) {
                    return null;
                }
                book.decline(from.id, decline);
                return book.allAnswered() ? decline.jobId() : null;
            }
            default -> {
                return null;
            }
        }
    }

    @Override
    public void forget(String jobId) {
        open.remove(jobId);
        nextRoundAt.remove(jobId);
    }

    @Override
    public void ended(String jobId) {
        forget(jobId);
        runnersUp.remove(jobId);
    }

    // ---------------------------------------------------------------- rounds

    private Verdict announce(Job job, BidBook book, Set<String> refusedBy, PlacementContext context) {
        Set<String> asked = new LinkedHashSet<>();
        List<Routing.Candidate> rejected = new ArrayList<>();
        List<NodeState> recipients = new ArrayList<>();
        for (NodeState node : context.nodes()) {
            String why = refusedBy.contains(node.id) ? "refused this job earlier" : Eligibility.rejection(job, node);
            if (why == null && node.hello.publicKey() == null) {
                why = "has no key to sign bids with";
            }
            if (why == null) {
                asked.add(node.id);
                recipients.add(node);
            } else if (rejected.size() < KEPT_REJECTIONS) {
                rejected.add(new Routing.Candidate(node.id, null, why));
            }
        }
        if (asked.isEmpty()) {
            return new Verdict.Unplaced(routing(job, null, rejected, "none", book, null, context));
        }
        long window = job.spec().placement().windowMs() != null
                ? job.spec().placement().windowMs()
                : settings.window().toMillis();
        long closesAt = context.nowMillis() + window;
        String nonce = nonce();
        book.open(nonce, asked, closesAt, context.now());
        Message.JobAnnouncement announcement = new Message.JobAnnouncement(
                job.id(),
                specCid.apply(job),
                job.spec().type(),
                job.spec().requirements(),
                context.now().plusMillis(window),
                job.spec().placement().maxPrice(),
                nonce,
                book.rounds(),
                job.spec().timeoutMs());
        for (NodeState node : recipients) {
            context.send(node, announcement);
        }
        return new Verdict.Pending(closesAt);
    }

    private Verdict close(Job job, BidBook book, Set<String> refusedBy, PlacementContext context) {
        List<Offer> acceptable = new ArrayList<>();
        for (Offer offer : book.close()) {
            double rep = reputation.score(offer.nodeId());
            String why = disqualification(job, offer, rep, context);
            if (why == null) {
                acceptable.add(offer);
            } else {
                book.record(offer, rep, null, "disqualified", why);
            }
        }
        if (acceptable.isEmpty()) {
            return noAcceptableBid(job, book, context);
        }
        List<Selection.Ranked> ranked = Selection.rank(
                acceptable, selection(job), settings.weights(), reputation::score, failedBefore(job, refusedBy));
        Selection.Ranked winner = null;
        NodeState node = null;
        List<Selection.Ranked> rest = new ArrayList<>();
        for (Selection.Ranked r : ranked) {
            NodeState candidate = find(context, r.offer().nodeId());
            if (winner == null && candidate != null && Eligibility.rejection(job, candidate) == null) {
                winner = r;
                node = candidate;
            } else {
                rest.add(r);
            }
        }
        if (winner == null) {
            // Every acceptable bidder filled up meanwhile: keep their bids and wait for a slot (parked).
            runnersUp.put(job.id(), ranked);
            for (Selection.Ranked r : ranked) {
                book.record(r.offer(), r.reputation(), r.score(), "lost", "no free slot when the round closed");
            }
            return new Verdict.Unplaced(routing(job, null, List.of(), "bids", book, null, context));
        }
        book.record(winner.offer(), winner.reputation(), winner.score(), "won", null);
        for (Selection.Ranked r : rest) {
            book.record(r.offer(), r.reputation(), r.score(), "lost", Selection.whyLost(r, winner, selection(job)));
        }
        runnersUp.put(job.id(), rest);
        List<Routing.Candidate> candidates = new ArrayList<>();
        candidates.add(new Routing.Candidate(winner.offer().nodeId(), winner.score(), null));
        rest.forEach(r -> candidates.add(new Routing.Candidate(r.offer().nodeId(), r.score(), null)));
        return new Verdict.Placed(
                node,
                routing(job, node.id, candidates, "bids", book, winner.offer().price(), context));
    }

    /** Why {@code offer} cannot win now, or null: its price and the job's requirements, checked as the round closes. */
    private String disqualification(Job job, Offer offer, double rep, PlacementContext context) {
        Long maxPrice = job.spec().placement().maxPrice();
        if (maxPrice != null && offer.price() > maxPrice) {
            return Disqualification.ABOVE_MAX_PRICE.reason("price " + offer.price() + " > max_price " + maxPrice);
        }
        NodeState node = find(context, offer.nodeId());
        String why = node == null ? "the node left the mesh" : Eligibility.rejection(job, node);
        if (why != null && !why.equals(Eligibility.NO_FREE_SLOT)) {
            return Disqualification.FAILS_REQUIREMENTS.reason(why);
        }
        var needs = job.spec().requirements().resources();
        if (offer.resources() != null && !offer.resources().covers(needs)) {
            return Disqualification.FAILS_REQUIREMENTS.reason(
                    "offers " + offer.resources() + ", the job needs " + needs);
        }
        if (offer.freeSlots() <= 0) {
            return Disqualification.FAILS_REQUIREMENTS.reason("bid with no free slot");
        }
        Double minReputation = job.spec().requirements().minReputation();
        if (minReputation != null && rep < minReputation) {
            return Disqualification.FAILS_REQUIREMENTS.reason(
                    "reputation " + Math.round(rep * 1000) / 1000.0 + " below min_reputation " + minReputation);
        }
        return null;
    }

    private Verdict noAcceptableBid(Job job, BidBook book, PlacementContext context) {
        if (book.rounds() <= settings.reannounces()) {
            long again = context.nowMillis() + settings.reannounceInterval().toMillis();
            nextRoundAt.put(job.id(), again);
            return new Verdict.Pending(again, routing(job, null, List.of(), "none", book, null, context));
        }
        StringBuilder why =
                new StringBuilder("no acceptable bid in " + book.rounds() + " round" + (book.rounds() == 1 ? "" : "s"));
        Set<String> told = new HashSet<>();
        List<AuctionRecord.Bid> entries = book.entries();
        for (int i = entries.size() - 1; i >= 0 && told.size() < 5; i--) {
            AuctionRecord.Bid e = entries.get(i);
            if (told.add(e.nodeId())) {
                why.append(told.size() == 1 ? ": " : "; ")
                        .append(e.nodeId())
                        .append(' ')
                        .append(e.outcome())
                        .append(" (")
                        .append(e.reason())
                        .append(')');
            }
        }
        return new Verdict.Failed(
                routing(job, null, List.of(), "none", book, null, context),
                new JobError(ErrorCode.NO_ACCEPTABLE_BID, why.toString()));
    }

    // ---------------------------------------------------------------- without a round

    /** The next runner-up of the last round that can take the job now, or null (then a new round is held). */
    private Verdict runnerUp(Job job, Set<String> failed, PlacementContext context) {
        List<Selection.Ranked> waiting = runnersUp.get(job.id());
        if (waiting == null) {
            return null;
        }
        for (int i = 0; i < waiting.size(); i++) {
            Selection.Ranked r = waiting.get(i);
            NodeState node = find(context, r.offer().nodeId());
            if (failed.contains(r.offer().nodeId()) || node == null || Eligibility.rejection(job, node) != null) {
                continue;
            }
            runnersUp.put(job.id(), List.copyOf(waiting.subList(i + 1, waiting.size())));
            AuctionRecord before = job.routing() == null ? null : job.routing().auction();
            AuctionRecord record = new AuctionRecord(
                    "runner_up",
                    selection(job).wireName(),
                    before == null ? 0 : before.rounds(),
                    job.spec().placement().maxPrice(),
                    r.offer().price(),
                    before == null ? List.of() : before.bids(),
                    before == null ? null : before.announcedAt());
            return new Verdict.Placed(
                    node,
                    new Routing(
                            name(),
                            node.id,
                            List.of(new Routing.Candidate(node.id, r.score(), null)),
                            List.of(),
                            context.now(),
                            record));
        }
        runnersUp.remove(job.id());
        return null;
    }

    // ---------------------------------------------------------------- helpers

    private Routing routing(
            Job job,
            String winner,
            List<Routing.Candidate> candidates,
            String mode,
            BidBook book,
            Long price,
            PlacementContext context) {
        List<AuctionRecord.Bid> bids = new ArrayList<>();
        AuctionRecord before = job.routing() == null ? null : job.routing().auction();
        int rounds = book.rounds();
        if (before != null && !"none".equals(before.mode())) {
            bids.addAll(before.bids()); // an earlier placement's rounds (its winner failed or never acknowledged)
            rounds += before.rounds();
        }
        bids.addAll(book.entries());
        List<AuctionRecord.Bid> kept =
                bids.size() > BidBook.MAX_ENTRIES ? bids.subList(bids.size() - BidBook.MAX_ENTRIES, bids.size()) : bids;
        AuctionRecord record = new AuctionRecord(
                mode,
                selection(job).wireName(),
                rounds,
                job.spec().placement().maxPrice(),
                price,
                kept,
                book.firstAnnouncedAt());
        return new Routing(name(), winner, candidates, null, context.now(), record);
    }

    private BidSelection selection(Job job) {
        BidSelection asked = job.spec().placement().selection();
        return asked != null ? asked : settings.selection();
    }

    /** Nodes that failed, refused or did not acknowledge this job in an earlier attempt: never the first choice. */
    private static Set<String> failedBefore(Job job, Set<String> refusedBy) {
        if (job.attempts().isEmpty()) {
            return refusedBy;
        }
        Set<String> failed = new HashSet<>(refusedBy);
        for (Attempt attempt : job.attempts()) {
            if (attempt.outcome() != null && !"completed".equals(attempt.outcome())) {
                failed.add(attempt.nodeId());
            }
        }
        return failed;
    }

    private static NodeState find(PlacementContext context, String nodeId) {
        return context.node(nodeId);
    }

    private byte[] key(NodeState node) {
        return keys.computeIfAbsent(node.id, id -> {
            try {
                return AgentProof.keyFor(id, node.hello.publicKey());
            } catch (RuntimeException e) {
                return new byte[0]; // no usable key: every signature fails
            }
        });
    }

    private String nonce() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
