package org.planetarymesh.agent.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Defaults that depend on the machine. */
final class Defaults {
    private Defaults() {}

    static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "agent";
        }
    }
}
