package io.fiscald.cli;

import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.hal.sign.SigningException;
import io.fiscald.store.DataDirLockedException;
import io.fiscald.store.StoreException;
import io.fiscald.store.secret.MasterKeyException;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns every failure into the one error shape of the design, on standard error (or as the JSON
 * document on standard output with {@code --json}), with exit code 2 for the caller's mistakes and
 * 1 for the device's trouble.
 */
final class ErrorReporter implements IExecutionExceptionHandler, IParameterExceptionHandler {

  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parseResult) {
    FiscalException error = toFiscal(e);
    report(cmd, error);
    return error.code().exitCode();
  }

  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    FiscalException error = new FiscalException(ErrorCode.INVALID_ARGUMENT, e.getMessage());
    report(cmd, error);
    if (!isJson(cmd)) {
      System.err.println("Usage: see '" + cmd.getCommandSpec().qualifiedName() + " --help'");
    }
    return ErrorCode.INVALID_ARGUMENT.exitCode();
  }

  static FiscalException toFiscal(Throwable e) {
    if (e instanceof FiscalException fe) {
      return fe;
    }
    if (e instanceof DataDirLockedException locked) {
      return new FiscalException(ErrorCode.DATA_DIR_LOCKED, locked.getMessage(),
          Map.of("lockFile", locked.lockFile().toString(), "holder", locked.holder()));
    }
    if (e instanceof MasterKeyException) {
      return new FiscalException(ErrorCode.MASTER_KEY_INVALID, e.getMessage());
    }
    if (e instanceof SigningException) {
      return new FiscalException(ErrorCode.MASTER_KEY_INVALID, "the device key is not usable: " + e.getMessage());
    }
    if (e instanceof StoreException) {
      return new FiscalException(ErrorCode.STORAGE_ERROR, e.getMessage());
    }
    return new FiscalException(ErrorCode.INTERNAL, "internal error: " + e, Map.of("exception", e.getClass().getName()));
  }

  private static void report(CommandLine cmd, FiscalException error) {
    if (isJson(cmd)) {
      Output.printJson(System.out, error.toErrorDocument());
    } else {
      System.err.println("error: " + error.getMessage() + " [" + error.code() + "]");
      if (error.code() == ErrorCode.INTERNAL && error.getCause() != null) {
        error.getCause().printStackTrace(System.err);
      }
    }
  }

  private static boolean isJson(CommandLine cmd) {
    Object root = cmd.getCommandSpec().root().userObject();
    return root instanceof GlobalOptions g && g.json;
  }
}
