package io.fiscald.sim.kra;

import java.util.List;

/**
 * Every eTIMS function the simulator serves, with its path on each transport: legacy OSCU names (sheet §2), Apigee
 * resource names (sheet §2, second table; unknown ones fall back to the legacy name) and VSDC paths (sheet §15.2).
 *
 * <p>A path is relative to {@link EtimsSimulator#baseUrl(Transport)}; {@code null} means the transport does not
 * serve the function. Every transport also answers its function's {@link #aliases()} and, on the gateway and the
 * VSCU, the legacy flat name, so a client with a slightly different path table still reaches the same handler.
 */
public enum EtimsEndpoint {
  INIT("/selectInitOsdcInfo", "/initialize", "/initializer/selectInitInfo"),
  CODE_LIST("/selectCodeList", "/selectCodeList", "/code/selectCodes"),
  ITEM_CLASS_LIST("/selectItemClsList", "/selectItemClass", "/itemClass/selectItemsClass"),
  CUSTOMER("/selectCustomer", "/selectCustomer", "/customers/selectCustomer"),
  BRANCH_LIST("/selectBhfList", "/branchList", "/branches/selectBranches"),
  NOTICE_LIST("/selectNoticeList", "/selectNoticeList", "/notices/selectNotices"),
  SAVE_BRANCH_CUSTOMER("/saveBhfCustomer", "/branchSendCustomerInfo", "/branches/saveBrancheCustomers"),
  SAVE_BRANCH_USER("/saveBhfUser", "/branchUserAccount", "/branches/saveBrancheUsers"),
  SAVE_BRANCH_INSURANCE("/saveBhfInsurance", "/branchInsuranceInfo", "/branches/saveBrancheInsurances"),
  ITEM_LIST("/selectItemList", "/selectItemList", "/items/selectItems"),
  SAVE_ITEM("/saveItem", "/saveItem", "/items/saveItems", "/itemInfo"),
  SAVE_ITEM_COMPOSITION("/saveItemComposition", "/saveItemComposition", "/items/saveItemComposition"),
  IMPORT_ITEM_LIST("/selectImportItemList", "/importedItemInfo", "/imports/selectImportItems"),
  UPDATE_IMPORT_ITEM("/updateImportItem", "/updateImportItem", "/imports/updateImportItems",
      "/importedItemConvertedInfo"),
  SAVE_SALE("/saveTrnsSalesOsdc", "/sendSalesTransaction", "/trnsSales/saveSales"),
  /** VSCU only: the second step of TX's unverified two-step sale (sheet §15.2); confirms a sale already received. */
  SAVE_INVOICE(null, null, "/trnsSales/saveInvoice"),
  PURCHASE_SALES_LIST("/selectTrnsPurchaseSalesList", "/getPurchaseTransactionInfo",
      "/trnsPurchase/selectTrnsPurchaseSales"),
  SAVE_PURCHASE("/insertTrnsPurchase", "/sendPurchaseTransactionInfo", "/trnsPurchase/savePurchases"),
  STOCK_MOVE_LIST("/selectStockMoveList", "/selectStockMoveLists", "/stock/selectStockItems"),
  SAVE_STOCK_IO("/insertStockIO", "/insert/stockIO", "/stock/saveStockItems"),
  SAVE_STOCK_MASTER("/saveStockMaster", "/save/stockMaster", "/stockMaster/saveStockMaster"),
  /** Reconciliation after a timeout (sheet §2 "Invoice lookup", §13); the VSCU path is this simulator's own. */
  INVOICE_DETAILS("/selectInvoiceDetails", "/selectInvoiceDetails", "/trnsSales/selectInvoiceDetails",
      "/selectInvoiceDetail"),
  SALES_LIST("/selectTrnsSalesList", "/selectTrnsSalesList", "/trnsSales/selectTrnsSales"),
  CUSTOMER_LIST("/selectCustomerList", "/selectCustomerList", "/customers/selectCustomerList"),
  TAXPAYER_INFO("/selectTaxPayerInfo", "/selectTaxPayerInfo", "/taxpayer/selectTaxPayerInfo");

  private final String oscuPath;
  private final String gatewayPath;
  private final String vscuPath;
  private final List<String> aliases;

  EtimsEndpoint(String oscuPath, String gatewayPath, String vscuPath, String... aliases) {
    this.oscuPath = oscuPath;
    this.gatewayPath = gatewayPath;
    this.vscuPath = vscuPath;
    this.aliases = List.of(aliases);
  }

  /** The path on {@code transport}, starting with {@code /}, or {@code null} when that transport lacks it. */
  public String path(Transport transport) {
    switch (transport) {
      case OSCU: return oscuPath;
      case GATEWAY: return gatewayPath;
      default: return vscuPath;
    }
  }

  /** Extra paths answered for this function on the gateway and the VSCU (e.g. {@code /selectInvoiceDetail}). */
  public List<String> aliases() {
    return aliases;
  }

  /** The legacy flat name without slash, e.g. {@code saveTrnsSalesOsdc}; {@code null} for VSCU-only functions. */
  public String legacyName() {
    return oscuPath == null ? null : oscuPath.substring(1);
  }

  /** Resolves a request path (relative to the transport's base URL) to its function, or {@code null}. */
  static EtimsEndpoint resolve(Transport transport, String path) {
    for (EtimsEndpoint e : values()) {
      if (path.equals(e.path(transport))) {
        return e;
      }
    }
    if (transport == Transport.OSCU) {
      return null;
    }
    for (EtimsEndpoint e : values()) {
      if (e.aliases.contains(path) || path.equals(e.oscuPath)) {
        return e;
      }
    }
    return null;
  }
}
