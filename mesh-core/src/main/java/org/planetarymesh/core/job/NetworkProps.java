package org.planetarymesh.core.job;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.planetarymesh.core.identity.DidKey;
import org.planetarymesh.core.identity.Ed25519;
import org.planetarymesh.core.identity.Signer;
import org.planetarymesh.core.receipt.Canonical;

/**
 * The network properties of a job one mesh hands to another (seed 003's {@code network}): who issued it (the sending
 * peer link's did:key), its signature over the spec, when it was issued and how long it stays valid, how many mesh
 * hops it has made and may make, and the reward offered.
 *
 * @param issuer did:key of the peer link that forwarded the job
 * @param signature base64 Ed25519 signature by {@code issuer} over {@link #signedText} of the spec
 * @param issuedAt when the sender forwarded it
 * @param ttlSeconds how long after {@code issuedAt} a mesh may still accept it
 * @param hops how many mesh-to-mesh hops it has made, 1 on the first peer
 * @param maxHops the most hops the issuer allows
 * @param reward credits offered for running it (0: none)
 */
public record NetworkProps(
        String issuer, String signature, Instant issuedAt, long ttlSeconds, int hops, int maxHops, long reward) {

    /** Whether the job is stale at {@code now}. */
    public boolean expired(Instant now) {
        return issuedAt != null && now.isAfter(issuedAt.plusSeconds(ttlSeconds));
    }

    /**
     * The bytes the issuer signs: the job's type, payload and requirements as canonical JSON (RFC 8785), and every
     * network property but the signature, so no hop count, ttl or reward can be changed on the way.
     */
    public byte[] signedBytes(String type, JsonNode payload, Requirements requirements) {
        String text = String.join(
                "\n",
                "mesh-peer-job-v1",
                type,
                new String(Canonical.of(payload), StandardCharsets.UTF_8),
                new String(Canonical.ofValue(requirements), StandardCharsets.UTF_8),
                issuer,
                String.valueOf(issuedAt),
                Long.toString(ttlSeconds),
                Integer.toString(hops),
                Integer.toString(maxHops),
                Long.toString(reward));
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Whether {@link #signature} is the issuer's over this job. */
    public boolean signedByIssuer(String type, JsonNode payload, Requirements requirements) {
        try {
            byte[] key = DidKey.toEd25519(issuer);
            byte[] sig = Base64.getDecoder().decode(signature);
            return Ed25519.verifies(key, signedBytes(type, payload, requirements), sig);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** These properties signed by {@code signer} (whose did:key is {@link #issuer}). */
    public NetworkProps signed(String type, JsonNode payload, Requirements requirements, Signer signer) {
        NetworkProps unsigned = new NetworkProps(issuer, "", issuedAt, ttlSeconds, hops, maxHops, reward);
        String sig = Base64.getEncoder().encodeToString(signer.sign(unsigned.signedBytes(type, payload, requirements)));
        return new NetworkProps(issuer, sig, issuedAt, ttlSeconds, hops, maxHops, reward);
    }
}
