package org.planetarymesh.core.net;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The coordinators a client or agent may talk to, from a comma-separated list ({@code http://a:7070,http://b:7070},
 * each in any form {@link AgentAddress} takes), and which of them it talks to now. Several coordinators on one
 * PostgreSQL database answer as one leader and standbys; a caller keeps to the current one, moves to the next when it
 * cannot be reached or says it is a standby, and straight to the leader a standby names.
 *
 * <p>A plain-http name that resolves to several addresses (a DNS name for all coordinators) counts as one coordinator
 * per address; {@code https} names are kept, since a certificate names the host, not the address.
 */
public final class CoordinatorUrls {

    private final List<String> urls;
    private final AtomicInteger current = new AtomicInteger();
    private volatile String leader;

    private CoordinatorUrls(List<String> urls) {
        this.urls = List.copyOf(urls);
    }

    /**
     * Parses {@code list}; throws {@link IllegalArgumentException} naming the entry that is wrong.
     *
     * @param list one URL or several, comma-separated
     */
    public static CoordinatorUrls parse(String list) {
        return new CoordinatorUrls(expand(normalize(list)));
    }

    /** Each entry of {@code list} normalised, duplicates dropped, in order; no name is resolved. */
    public static List<String> normalize(String list) {
        if (list == null || list.isBlank()) {
            throw new IllegalArgumentException("no coordinator URL given");
        }
        Set<String> out = new LinkedHashSet<>();
        for (String part : list.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            String url = AgentAddress.normalize(part.strip());
            while (url.endsWith("/")) {
                url = url.substring(0, url.length() - 1);
            }
            out.add(url);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no coordinator URL in '" + list + "'");
        }
        return List.copyOf(out);
    }

    /** {@code urls} with every plain-http host that has several addresses replaced by one URL per address. */
    static List<String> expand(List<String> urls) {
        Set<String> out = new LinkedHashSet<>();
        for (String url : urls) {
            URI uri = URI.create(url);
            String host = uri.getHost();
            if (!"http".equals(uri.getScheme()) || host == null || host.startsWith("[") || isLiteral(host)) {
                out.add(url);
                continue;
            }
            try {
                InetAddress[] addresses = InetAddress.getAllByName(host);
                if (addresses.length < 2) {
                    out.add(url);
                    continue;
                }
                for (InetAddress a : addresses) {
                    String literal = a.getHostAddress();
                    String h = literal.contains(":") ? "[" + literal + "]" : literal;
                    out.add("http://" + h + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                            + (uri.getRawPath() == null ? "" : uri.getRawPath()));
                }
            } catch (UnknownHostException e) {
                out.add(url); // tried (and reported) when it is used
            }
        }
        return List.copyOf(out);
    }

    private static boolean isLiteral(String host) {
        return host.matches("[0-9.]+") || host.contains(":");
    }

    /** Every coordinator, in the order given. */
    public List<String> all() {
        return urls;
    }

    /** How many coordinators there are to try. */
    public int size() {
        return urls.size();
    }

    /** The coordinator to talk to now: the leader a standby named, else the current one of the list. */
    public String current() {
        String named = leader;
        return named != null ? named : urls.get(Math.floorMod(current.get(), urls.size()));
    }

    /** {@code url} could not be reached, or is a standby: from now on the next coordinator is current. */
    public void failed(String url) {
        if (url.equals(leader)) {
            leader = null;
        }
        int at = current.get();
        if (urls.get(Math.floorMod(at, urls.size())).equals(url)) {
            current.compareAndSet(at, at + 1);
        }
    }

    /** A standby named {@code url} as the leader: talk to it next. */
    public void leaderIs(String url) {
        String normalized = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        int at = urls.indexOf(normalized);
        if (at >= 0) {
            current.set(at);
            leader = null;
        } else {
            leader = normalized;
        }
    }

    /** The list as one comma-separated string. */
    @Override
    public String toString() {
        return String.join(",", urls);
    }

    /** {@code urls} as the comma-separated form {@link #parse} reads. */
    public static String join(List<String> urls) {
        return String.join(",", new ArrayList<>(urls));
    }
}
