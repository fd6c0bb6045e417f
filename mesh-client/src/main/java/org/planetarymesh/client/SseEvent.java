package org.planetarymesh.client;

/** One Server-Sent Event as it came off the wire: its {@code id} (null if none), event name and joined data. */
record SseEvent(String id, String event, String data) {}
