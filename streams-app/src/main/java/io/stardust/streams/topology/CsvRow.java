package io.stardust.streams.topology;

import java.util.ArrayList;
import java.util.List;

/**
 * One CSV row (RFC 4180: comma-separated, a cell in double quotes may hold commas and doubled quotes). A row is one
 * line: the reader streams files line by line, so a quoted cell cannot span lines; an unterminated quote is
 * malformed rather than silently joined with the next line.
 */
final class CsvRow {
    private CsvRow() {
    }

    /** The row's cells; a trailing carriage return is ignored. */
    static List<String> parse(String line) {
        String s = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        int i = 0;
        while (true) {
            if (i < s.length() && s.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= s.length()) {
                        throw new MalformedCsvException("unterminated quoted cell " + (cells.size() + 1));
                    }
                    char ch = s.charAt(i++);
                    if (ch == '"') {
                        if (i < s.length() && s.charAt(i) == '"') {
                            cell.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        cell.append(ch);
                    }
                }
                if (i < s.length() && s.charAt(i) != ',') {
                    throw new MalformedCsvException("text after the closing quote of cell " + (cells.size() + 1));
                }
            } else {
                while (i < s.length() && s.charAt(i) != ',') {
                    char ch = s.charAt(i++);
                    if (ch == '"') {
                        throw new MalformedCsvException("a quote inside unquoted cell " + (cells.size() + 1));
                    }
                    cell.append(ch);
                }
            }
            cells.add(cell.toString());
            cell.setLength(0);
            if (i >= s.length()) {
                return cells;
            }
            i++; // the comma
        }
    }

    static final class MalformedCsvException extends RuntimeException {
        MalformedCsvException(String message) {
            super(message);
        }
    }
}
