package io.fiscald.agent.authority.kra.client;

import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import java.util.EnumMap;
import java.util.Map;

/**
 * The three ways to reach eTIMS, each with its default base URLs and path table: OSCU on the legacy
 * host (sheet §1.1, §2), OSCU through the Apigee gateway (§1.2) and a VSCU on the trader's side (§15.2).
 */
public enum EtimsTransport {
  OSCU("oscu"),
  OSCU_GATEWAY("oscu-gateway"),
  VSCU("vscu");

  private final String wireName;

  EtimsTransport(String wireName) {
    this.wireName = wireName;
  }

  /** The name used in configuration and on the command line: oscu, oscu-gateway, vscu. */
  public String wireName() {
    return wireName;
  }

  public static EtimsTransport parse(String name) {
    for (EtimsTransport t : values()) {
      if (t.wireName.equalsIgnoreCase(name) || t.name().equalsIgnoreCase(name)) {
        return t;
      }
    }
    throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "--transport must be oscu, oscu-gateway or vscu, got '"
        + name + "'", Map.of("transport", String.valueOf(name)));
  }

  /** The sheet's base URL for an environment, or null where none is confirmed (gateway production, VSCU). */
  public String defaultBaseUrl(String environment) {
    boolean prod = "production".equals(environment);
    return switch (this) {
      case OSCU -> prod ? "https://etims-api.kra.go.ke/etims-api" : "https://etims-api-sbx.kra.go.ke/etims-api";
      case OSCU_GATEWAY -> prod ? null : "https://sbx.kra.go.ke/etims-oscu/api/v1";
      case VSCU -> null;
    };
  }

  /** The OAuth client-credentials token URL of the gateway (sheet §1.2; production inferred). */
  public String defaultTokenUrl(String environment) {
    return "production".equals(environment) ? "https://api.kra.go.ke/v1/token/generate"
        : "https://sbx.kra.go.ke/v1/token/generate";
  }

  /** The default path of each function on this transport; a device may override any of them. */
  public Map<EtimsEndpoint, String> defaultPaths() {
    Map<EtimsEndpoint, String> p = new EnumMap<>(EtimsEndpoint.class);
    switch (this) {
      case OSCU -> {
        p.put(EtimsEndpoint.INIT, "/selectInitOsdcInfo");
        p.put(EtimsEndpoint.CODE_LIST, "/selectCodeList");
        p.put(EtimsEndpoint.ITEM_CLASS_LIST, "/selectItemClsList");
        p.put(EtimsEndpoint.CUSTOMER, "/selectCustomer");
        p.put(EtimsEndpoint.BRANCH_LIST, "/selectBhfList");
        p.put(EtimsEndpoint.NOTICE_LIST, "/selectNoticeList");
        p.put(EtimsEndpoint.ITEM_LIST, "/selectItemList");
        p.put(EtimsEndpoint.SAVE_ITEM, "/saveItem");
        p.put(EtimsEndpoint.SAVE_SALE, "/saveTrnsSalesOsdc");
        p.put(EtimsEndpoint.INVOICE_DETAILS, "/selectInvoiceDetails");
        p.put(EtimsEndpoint.SAVE_STOCK_IO, "/insertStockIO");
        p.put(EtimsEndpoint.SAVE_STOCK_MASTER, "/saveStockMaster");
      }
      case OSCU_GATEWAY -> {
        // Apigee resource names seen by one integrator (sheet §2, second table); unknown ones keep the legacy name.
        p.put(EtimsEndpoint.INIT, "/initialize");
        p.put(EtimsEndpoint.CODE_LIST, "/selectCodeList");
        p.put(EtimsEndpoint.ITEM_CLASS_LIST, "/selectItemClass");
        p.put(EtimsEndpoint.CUSTOMER, "/selectCustomer");
        p.put(EtimsEndpoint.BRANCH_LIST, "/branchList");
        p.put(EtimsEndpoint.NOTICE_LIST, "/selectNoticeList");
        p.put(EtimsEndpoint.ITEM_LIST, "/selectItemList");
        p.put(EtimsEndpoint.SAVE_ITEM, "/saveItem");
        p.put(EtimsEndpoint.SAVE_SALE, "/sendSalesTransaction");
        p.put(EtimsEndpoint.INVOICE_DETAILS, "/selectInvoiceDetails");
        p.put(EtimsEndpoint.SAVE_STOCK_IO, "/insert/stockIO");
        p.put(EtimsEndpoint.SAVE_STOCK_MASTER, "/save/stockMaster");
      }
      case VSCU -> {
        // VSDC-family paths (sheet §15.2), inferred for Kenya: hence the per-device overrides.
        p.put(EtimsEndpoint.INIT, "/initializer/selectInitInfo");
        p.put(EtimsEndpoint.CODE_LIST, "/code/selectCodes");
        p.put(EtimsEndpoint.ITEM_CLASS_LIST, "/itemClass/selectItemsClass");
        p.put(EtimsEndpoint.CUSTOMER, "/customers/selectCustomer");
        p.put(EtimsEndpoint.BRANCH_LIST, "/branches/selectBranches");
        p.put(EtimsEndpoint.NOTICE_LIST, "/notices/selectNotices");
        p.put(EtimsEndpoint.ITEM_LIST, "/items/selectItems");
        p.put(EtimsEndpoint.SAVE_ITEM, "/items/saveItems");
        p.put(EtimsEndpoint.SAVE_SALE, "/trnsSales/saveSales");
        p.put(EtimsEndpoint.INVOICE_DETAILS, "/trnsSales/selectInvoiceDetails");
        p.put(EtimsEndpoint.SAVE_STOCK_IO, "/stock/saveStockItems");
        p.put(EtimsEndpoint.SAVE_STOCK_MASTER, "/stockMaster/saveStockMaster");
      }
      default -> throw new IllegalStateException("unreachable");
    }
    return p;
  }

  /** Whether calls need an OAuth Bearer token and the {@code apigee_app_id} header. */
  public boolean needsToken() {
    return this == OSCU_GATEWAY;
  }
}
