package io.stardust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code entry:write} input decoding: a line is exactly one JSON object in valid UTF-8, or it fails alone. */
@ExtendWith(MySqlExtension.class)
class EntryWriteInputCliTest {
    private final TestDatabase db;
    private final CliRunner cli;

    EntryWriteInputCliTest(TestDatabase db) {
        this.db = db;
        this.cli = new CliRunner(db);
    }

    @BeforeEach
    void setUp() throws Exception {
        db.reset();
        assertThat(cli.run("bootstrap").exitCode()).isZero();
        assertThat(cli.run("model:define", "--tenant=3", "--name=item", "--field=sku:string:filterable",
                "--field=qty:int:filterable", "--field=price:numeric:filterable", "--field=note:string",
                "--provision").exitCode()).isZero();
    }

    private static byte[] lines(Object... lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object line : lines) {
            out.writeBytes(line instanceof byte[] b ? b : ((String) line).getBytes(StandardCharsets.UTF_8));
            out.write('\n');
        }
        return out.toByteArray();
    }

    private static byte[] bytes(String before, int[] raw, String after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
        for (int b : raw) {
            out.write(b);
        }
        out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private List<String> storedSkus() throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = db.server().connect(db.name()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT JSON_UNQUOTE(JSON_EXTRACT(fields, '$.sku')) FROM entry_data ORDER BY id")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Test
    void aLineThatIsNotExactlyOneObjectInValidTextFailsAloneAndTheOthersLand() throws Exception {
        byte[] input = lines(
                "{\"sku\":\"first\"} {\"sku\":\"second\"}",                           // 1: two values on one line
                "{\"sku\":\"ok-1\"}",                                               // 2
                "{\"sku\":\"x\"}xyz",                                               // 3: trailing garbage
                "{\"sku\":\"a\",\"sku\":\"b\"}",                                    // 4: duplicate key
                bytes("{\"sku\":\"bad-", new int[] {0xFF}, "\"}"),                 // 5: not UTF-8 at all
                bytes("{\"sku\":\"overlong-", new int[] {0xC0, 0x80}, "\"}"),      // 6: overlong NUL
                "{\"sku\":\"caf\u00e9 \ud83d\ude00\"}\r",                           // 7: valid, CRLF
                "{\"sku\":\"\\ud800\"}",                                            // 8: unpaired surrogate in a value
                "{\"note\":{\"\\udc00x\":1},\"sku\":\"s\"}",                        // 9: ... in a nested field name
                "{\"sku\":\"ok-2\"}");                                              // 10
        CliRunner.Result r = cli.runWithStdin(input, "entry:write", "--tenant=3", "--model=item", "-");

        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(1);
        assertThat(r.stdout()).contains("wrote 3 entries, 7 failed");
        assertThat(r.stderr()).contains("line 1: not valid JSON: unexpected content after the JSON value at character 17",
                "line 3: not valid JSON: unexpected content", "line 4: not valid JSON: Duplicate field 'sku'",
                "line 5: invalid UTF-8 at byte 13 (0xFF)", "line 6: invalid UTF-8 at byte 18 (0xC0)",
                "line 8: field 'sku': the string has an unpaired UTF-16 surrogate",
                "line 9: field 'note.\\udc00x': the field name has an unpaired UTF-16 surrogate");
        assertThat(storedSkus()).containsExactly("ok-1", "caf\u00e9 \ud83d\ude00", "ok-2");
    }

    @Test
    void outOfRangeNumbersFailTheirLineNamingTheFieldAndOtherNumbersReadBackInTheirFieldsTypes() throws Exception {
        byte[] input = lines(
                "{\"sku\":\"a\",\"qty\":1e400}",
                "{\"sku\":\"b\",\"note\":1e400}",
                "{\"sku\":\"c\",\"price\":1e-400}",
                "{\"sku\":\"d\",\"note\":[1, -1e999]}",
                "{\"sku\":\"e\",\"qty\":-0.0,\"price\":1e300,\"note\":-0.0,\"tiny\":4.9e-324}");
        CliRunner.Result r = cli.runWithStdin(input, "entry:write", "--tenant=3", "--model=item", "-");

        assertThat(r.stdout()).contains("wrote 1 entries, 4 failed");
        assertThat(r.stderr()).contains("line 1: field 'qty'", "line 2: field 'note'", "line 3: field 'price'",
                "line 4: field 'note[1]'").contains("outside the range of a double", "too small for a double")
                .doesNotContain("NumberFormatException", "Infinity");
        CliRunner.Result got = cli.run("entry:get", "--tenant=3", "--id=1");
        assertThat(got.exitCode()).as(got.stderr()).isZero();
        JsonNode fields = got.json().get("fields");
        assertThat(fields.get("sku").textValue()).isEqualTo("e");
        // note is a string field: -0.0 (kept in the payload) reads as its string form, as its slot holds it
        assertThat(fields.get("note").textValue()).isEqualTo("-0");
        assertThat(fields.get("price").doubleValue()).isEqualTo(1e300);
        assertThat(fields.get("tiny").doubleValue()).isEqualTo(Double.MIN_VALUE);
    }
}
