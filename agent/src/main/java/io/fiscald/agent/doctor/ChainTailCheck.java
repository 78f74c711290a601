package io.fiscald.agent.doctor;

import io.fiscald.hal.sign.PublicKeys;
import io.fiscald.store.ChainHash;
import io.fiscald.store.DeviceRecord;
import io.fiscald.store.Devices;
import io.fiscald.store.Journal;
import io.fiscald.store.JournalEntry;
import java.security.PublicKey;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The newest entries of the journal: each links to the one before, its hash matches its contents, its
 * signature verifies, and the head recorded beside the chain is the last entry. Fast on any journal; the
 * whole chain and the cross-checks are {@code fiscalctl audit verify}.
 */
final class ChainTailCheck implements Check {
  @Override
  public String name() {
    return "chain-tail";
  }

  @Override
  public Finding run(DoctorContext ctx) throws Exception {
    int k = ctx.limits().chainTailEntries();
    try (Connection c = ctx.readOnly()) {
      DeviceRecord device = Devices.find(c).orElse(null);
      if (device == null) {
        return Finding.fail(name(), "the database holds no device", Finding.facts(), "See the data-dir finding");
      }
      PublicKey key = PublicKeys.fromDer(device.publicKey());
      long head = Journal.last(c).map(JournalEntry::seq).orElse(0L);
      long from = Math.max(1, head - k + 1);
      var seen = Finding.facts("headSeq", head, "checkedFromSeq", from, "entriesChecked", head - from + 1);
      byte[] prev = from == 1 ? ChainHash.genesis() : Journal.get(c, from - 1).map(JournalEntry::hash).orElse(null);
      List<JournalEntry> tail = new ArrayList<>();
      Journal.forEach(c, from, tail::add);
      long expected = from;
      String problem = null;
      long badSeq = -1;
      for (JournalEntry e : tail) {
        if (e.seq() != expected) {
          problem = "entry " + expected + " is missing (the journal jumps to " + e.seq() + ")";
          badSeq = expected;
        } else if (prev != null && !Arrays.equals(prev, e.prevHash())) {
          problem = "entry " + e.seq() + " does not link to entry " + (e.seq() - 1);
        } else if (!e.hashMatches()) {
          problem = "entry " + e.seq() + " was altered after it was written (hash does not match)";
        } else if (!PublicKeys.verify(key, e.hash(), e.signature())) {
          problem = "entry " + e.seq() + " has a signature that does not verify with the device key";
        }
        if (problem != null) {
          badSeq = badSeq < 0 ? e.seq() : badSeq;
          break;
        }
        prev = e.hash();
        expected++;
      }
      if (problem == null) {
        var recorded = Journal.recordedHead(c).orElse(null);
        if (recorded != null && (recorded.seq() != head
            || (prev != null && !recorded.hashHex().equalsIgnoreCase(HexFormat.of().formatHex(prev))))) {
          problem = "the recorded chain head (seq " + recorded.seq() + ") is not the last entry (seq " + head + ")";
          badSeq = head;
        }
      }
      if (problem != null) {
        seen.put("firstBadSeq", badSeq);
        return Finding.fail(name(), problem, seen, "The journal was changed outside fiscald. Do not issue receipts: "
            + "run fiscalctl audit verify for the full report, keep this database for the record, restore the latest "
            + "backup that passes the audit (fiscalctl restore --force FILE) and tell the tax authority's help desk");
      }
      return Finding.ok(name(), "the last " + (head - from + 1) + " journal entries verify (hash, link, signature)",
          seen);
    }
  }
}
