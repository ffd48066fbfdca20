package dev.folio.lseq;

import java.util.Arrays;

/**
 * The highest counter of each site whose insert a replica has received, applied or not (a delete
 * it remembered may have kept it out). It is a function of the set of inserts received, so
 * replicas that received the same operations agree on it in any order.
 *
 * <p>A replica fed in log order, where a site's inserts come in counter order, can tell from it
 * alone that an absent insert under a counter already received was deleted: that is what lets a
 * server forget its deletes (docs/lseq.md, "Forgetting deletes"). An open-addressing map of
 * {@code int} to {@code int}: there is one entry per site that ever inserted, far fewer than
 * characters.
 */
final class SiteCounters {

    private static final int EMPTY = -1; // sites are never negative

    private int[] sites = emptySites(8);
    private int[] counters = new int[8];
    private int size;

    /** The highest counter received from {@code site}, or -1 if none. */
    int highest(int site) {
        int slot = slotOf(site);
        return sites[slot] == EMPTY ? -1 : counters[slot];
    }

    void raise(int site, int counter) {
        int slot = slotOf(site);
        if (sites[slot] == EMPTY) {
            sites[slot] = site;
            counters[slot] = counter;
            if (++size * 2 > sites.length) {
                rehash(sites.length * 2);
            }
        } else if (counters[slot] < counter) {
            counters[slot] = counter;
        }
    }

    int size() {
        return size;
    }

    /** Every (site, highest counter) pair, ordered by site, as {@code site << 32 | counter}. */
    long[] pairsBySite() {
        long[] pairs = new long[size];
        int at = 0;
        for (int slot = 0; slot < sites.length; slot++) {
            if (sites[slot] != EMPTY) {
                pairs[at++] = Tombstones.key(sites[slot], counters[slot]);
            }
        }
        Arrays.sort(pairs); // sites are non-negative, so the packed order is the sites' order
        return pairs;
    }

    private int slotOf(int site) {
        int mask = sites.length - 1;
        int hash = site * 0x9E3779B9;
        int slot = (hash ^ hash >>> 16) & mask;
        while (sites[slot] != EMPTY && sites[slot] != site) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private void rehash(int capacity) {
        int[] oldSites = sites;
        int[] oldCounters = counters;
        sites = emptySites(capacity);
        counters = new int[capacity];
        for (int i = 0; i < oldSites.length; i++) {
            if (oldSites[i] != EMPTY) {
                int slot = slotOf(oldSites[i]);
                sites[slot] = oldSites[i];
                counters[slot] = oldCounters[i];
            }
        }
    }

    private static int[] emptySites(int capacity) {
        int[] fresh = new int[capacity];
        Arrays.fill(fresh, EMPTY);
        return fresh;
    }
}
