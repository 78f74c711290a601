package io.fiscald.sim.zimra.internal;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fiscald.sim.zimra.FdmsDevice;
import io.fiscald.sim.zimra.FdmsValidationError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the simulator remembers, as plain Jackson-friendly objects so the standalone mode can keep it in a
 * JSON file. Guarded by the {@link FdmsService} monitor.
 */
public final class State {
  public Map<Integer, DeviceState> devices = new TreeMap<>();
  public long nextReceiptID = 1;

  /** One device: portal registration, certificates issued, days, offline files. */
  public static final class DeviceState {
    @JsonIgnore public FdmsDevice device;
    /** The registration as JSON (the state file form of {@link #device}). */
    public JsonNode deviceJson;
    public List<String> certificateSerials = new ArrayList<>();
    public List<String> certificatesPem = new ArrayList<>();
    public List<DayState> days = new ArrayList<>();
    public List<FileState> files = new ArrayList<>();

    /** The latest day, or null. */
    public DayState lastDay() {
      return days.isEmpty() ? null : days.get(days.size() - 1);
    }

    public DayState day(int fiscalDayNo) {
      for (DayState d : days) {
        if (d.fiscalDayNo == fiscalDayNo) {
          return d;
        }
      }
      return null;
    }
  }

  /** One fiscal day (sheet §5). */
  public static final class DayState {
    public int fiscalDayNo;
    public String status;
    public String opened;
    public String closingErrorCode;
    public String closed;
    public String reconciliationMode;
    public ObjectNode serverSignature;
    public JsonNode closeRequest;
    public List<ReceiptState> receipts = new ArrayList<>();

    public ReceiptState byCounter(int counter) {
      for (ReceiptState r : receipts) {
        if (r.receiptCounter == counter) {
          return r;
        }
      }
      return null;
    }

    public ReceiptState byGlobalNo(int globalNo) {
      for (ReceiptState r : receipts) {
        if (r.receiptGlobalNo == globalNo) {
          return r;
        }
      }
      return null;
    }
  }

  /** One received receipt with what the server answered. */
  public static final class ReceiptState {
    public long receiptID;
    public int deviceID;
    public int fiscalDayNo;
    public int receiptGlobalNo;
    public int receiptCounter;
    public String receiptType;
    public String invoiceNo;
    public String receiptDate;
    public String currency;
    public String hash;
    public String signature;
    public String serverDate;
    public String receivedAt;
    public ObjectNode serverSignature;
    public JsonNode receipt;
    public List<FdmsValidationError> validationErrors = new ArrayList<>();

    public boolean has(String colour) {
      for (FdmsValidationError e : validationErrors) {
        if (e.validationErrorColor().equals(colour)) {
          return true;
        }
      }
      return false;
    }
  }

  /** One offline file (sheet §15). */
  public static final class FileState {
    public String operationID;
    public String fileName;
    public String fileUploadDate;
    public int deviceId;
    public int dayNo;
    public String fiscalDayOpenedAt;
    public int fileSequence;
    public String fileProcessingDate;
    /** SWAGGER name; mapped to the SPEC name on output when so configured. */
    public String fileProcessingStatus;
    public String fileProcessingError;
    public boolean hasFooter;
    /** Uploaded on the portal, not through the API: absent from the device's file list. */
    public boolean viaPortal;
    public String ipAddress;
    public JsonNode file;
    public List<ObjectNode> invoiceWithValidationErrors = new ArrayList<>();
  }
}
