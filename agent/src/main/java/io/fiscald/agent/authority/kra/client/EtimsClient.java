package io.fiscald.agent.authority.kra.client;

import java.util.Map;

/**
 * One eTIMS function call, whatever the transport: the client adds the credentials where the device's
 * configuration puts them and normalises the answer. Implementations are thread-safe.
 */
public interface EtimsClient extends AutoCloseable {

  /**
   * Calls {@code endpoint} with {@code body} (JSON-serialisable; {@code tin}/{@code bhfId}/{@code cmcKey} are
   * added by the client).
   *
   * @throws EtimsCallException when no answer came (timeout, refused connection, dropped connection)
   */
  EtimsResponse call(EtimsEndpoint endpoint, Map<String, ?> body);

  /** The transport in use. */
  EtimsTransport transport();

  @Override
  void close();
}
