package dev.drep.core.platform;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Resolves a host name to all its addresses; tests substitute a fixed table for DNS. */
@FunctionalInterface
public interface HostResolver {
    /** The system resolver. */
    HostResolver SYSTEM = InetAddress::getAllByName;

    /** @return every address of {@code host} */
    InetAddress[] resolve(String host) throws UnknownHostException;
}
