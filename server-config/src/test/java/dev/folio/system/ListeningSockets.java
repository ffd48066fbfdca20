package dev.folio.system;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The TCP sockets that processes of this machine listen on, read from Linux's {@code /proc}: which
 * processes (by their command line) and on which address, so that a test can check that the local
 * stack is not reachable from other machines (issue 19).
 */
final class ListeningSockets {

    private static final String LISTEN = "0A";

    private ListeningSockets() {}

    /** Every TCP socket listened on by a process whose command line {@code process} accepts. */
    static List<InetSocketAddress> of(Predicate<String> process) throws IOException {
        Set<String> inodes = socketInodes(process);
        List<InetSocketAddress> listening = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines = Files.readAllLines(Path.of(table));
            for (String line : lines.subList(1, lines.size())) { // the first is the header
                String[] fields = line.trim().split("\\s+");
                if (fields[3].equals(LISTEN) && inodes.contains(fields[9])) {
                    listening.add(address(fields[1]));
                }
            }
        }
        return listening;
    }

    private static Set<String> socketInodes(Predicate<String> process) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path pid : processes
                    .filter(p -> p.getFileName().toString().matches("\\d+"))
                    .toList()) {
                try {
                    String command = new String(Files.readAllBytes(pid.resolve("cmdline")), StandardCharsets.UTF_8)
                            .replace('\0', ' ');
                    if (!process.test(command)) {
                        continue;
                    }
                    try (Stream<Path> fds = Files.list(pid.resolve("fd"))) {
                        for (Path fd : fds.toList()) {
                            String target = readLink(fd);
                            if (target.startsWith("socket:[")) {
                                inodes.add(target.substring("socket:[".length(), target.length() - 1));
                            }
                        }
                    }
                } catch (IOException gone) {
                    // The process ended while we looked: it listens on nothing.
                }
            }
        }
        return inodes;
    }

    private static String readLink(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString();
        } catch (IOException gone) {
            return "";
        }
    }

    /** {@code 0100007F:1F90}: the address as the kernel's 32-bit words in host (little-endian) order, then the port. */
    private static InetSocketAddress address(String field) throws UnknownHostException {
        String[] parts = field.split(":");
        byte[] words = HexFormat.of().parseHex(parts[0]);
        byte[] address = new byte[words.length];
        for (int word = 0; word < words.length; word += 4) {
            for (int i = 0; i < 4; i++) {
                address[word + i] = words[word + 3 - i];
            }
        }
        return new InetSocketAddress(InetAddress.getByAddress(address), Integer.parseInt(parts[1], 16));
    }
}
