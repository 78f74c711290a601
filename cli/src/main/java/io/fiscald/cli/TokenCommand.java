package io.fiscald.cli;

import io.fiscald.agent.api.Role;
import io.fiscald.agent.api.TokenService;
import io.fiscald.store.ApiToken;
import io.fiscald.store.Database;
import java.sql.Connection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code fiscalctl token create|list|revoke}: the local API's bearer tokens. Tokens live beside the
 * journal, not in it, so these work whether or not fiscald is running; a running daemon sees a new
 * or revoked token at its next request.
 */
@Command(name = "token", mixinStandardHelpOptions = true, description = "Create, list and revoke API tokens.",
    subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class})
final class TokenCommand {

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = {"Create a token and print it once; only its hash is kept. Roles: cashier (receipts, reads),",
          "technician (also days, printers, sync), admin (also webhooks and configuration).", "", "Examples:",
          "  fiscalctl token create --name till-1 --role cashier",
          "  fiscalctl token create --name backoffice --role admin --json"})
  static final class Create extends BaseCommand {
    @Option(names = "--name", required = true, paramLabel = "NAME", description = "A unique name (A-Z a-z 0-9 . _ -).")
    String name;

    @Option(names = "--role", required = true, paramLabel = "ROLE", description = "cashier, technician or admin.")
    String role;

    @Override
    int run() throws Exception {
      Role r = Role.parse(role);
      try (Connection c = Database.openForWriting(initialisedDataDirectory().database())) {
        TokenService.NewToken t = TokenService.create(c, name, r, Clock.systemUTC());
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("token", t.token().revealUtf8());
        v.put("name", t.name());
        v.put("role", t.role().wireName());
        v.put("createdAt", t.createdAt());
        result(v, t.token().revealUtf8() + "\n\nToken '" + name + "' (" + r.wireName()
            + ") created. It is shown only this once: store it in the POS now.");
      }
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = {"List tokens (names, roles, dates; never the tokens).", "", "Example:", "  fiscalctl token list"})
  static final class ListTokens extends BaseCommand {
    @Override
    int run() throws Exception {
      try (Connection c = Database.openReadOnly(initialisedDataDirectory().database())) {
        List<Map<String, Object>> out = new ArrayList<>();
        StringBuilder text = new StringBuilder(String.format("%-24s %-11s %-26s %s%n", "NAME", "ROLE", "CREATED",
            "REVOKED"));
        for (ApiToken t : TokenService.list(c)) {
          Map<String, Object> v = new LinkedHashMap<>();
          v.put("name", t.name());
          v.put("role", t.role());
          v.put("createdAt", t.createdAt());
          v.put("revokedAt", t.revokedAt());
          out.add(v);
          text.append(String.format("%-24s %-11s %-26s %s%n", t.name(), t.role(), t.createdAt(),
              t.revokedAt() == null ? "-" : t.revokedAt()));
        }
        result(Map.of("tokens", out), text.toString());
      }
      return 0;
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true,
      description = {"Revoke a token: refused from its next request on.", "", "Example:",
          "  fiscalctl token revoke till-1"})
  static final class Revoke extends BaseCommand {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    int run() throws Exception {
      try (Connection c = Database.openForWriting(initialisedDataDirectory().database())) {
        TokenService.revoke(c, name, Clock.systemUTC());
      }
      result(Map.of("name", name, "revoked", true), "Token '" + name + "' revoked.");
      return 0;
    }
  }
}
