package io.fiscald.agent.authority.kra.client;

/** The eTIMS functions fiscald calls; each transport maps them to its own path (sheet §2, §15.2). */
public enum EtimsEndpoint {
  INIT,
  CODE_LIST,
  ITEM_CLASS_LIST,
  CUSTOMER,
  BRANCH_LIST,
  NOTICE_LIST,
  ITEM_LIST,
  SAVE_ITEM,
  SAVE_SALE,
  INVOICE_DETAILS,
  SAVE_STOCK_IO,
  SAVE_STOCK_MASTER
}
