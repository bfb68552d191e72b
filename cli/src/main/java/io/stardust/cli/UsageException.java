package io.stardust.cli;

/** The command line was understood but asks for something impossible; exit code 2. */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
