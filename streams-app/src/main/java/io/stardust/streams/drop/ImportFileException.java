package io.stardust.streams.drop;

/** A file that cannot be imported as a whole (it goes to error/ with this message); no line of it was sent. */
final class ImportFileException extends RuntimeException {
    ImportFileException(String message) {
        super(message);
    }
}
