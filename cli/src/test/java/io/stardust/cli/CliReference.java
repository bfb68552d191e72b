package io.stardust.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Renders {@code docs/cli.md} from the parser itself: per command its description, synopsis, options and
 * parameters (with descriptions and defaults) and exit codes, exactly what {@code --help} is built from.
 */
final class CliReference {
    /** Wide enough that no synopsis in the reference wraps in the middle of an option. */
    private static final int WIDTH = 120;

    private CliReference() {
    }

    static String markdown(CommandLine root) {
        StringBuilder md = new StringBuilder();
        md.append("# `bin/stardust` command reference\n\n");
        md.append("<!-- Generated from the command line parser by cli's CliReferenceTest; do not edit by hand. Regenerate:\n");
        md.append("     mvn -B -pl cli verify -Dit.test=CliReferenceTest -Dstardust.docs.update=true -->\n\n");
        md.append("Every command of `bin/stardust`, as its `--help` describes it. Options given as `--name=value` or\n");
        md.append("`--name value`; `STARDUST_*` environment variables win over a `--config` file. The DLQ commands of both\n");
        md.append("queues share one option set (`--id`, `--reason`, `--tenant`, `--older-than`, `--limit`, `--format`,\n");
        md.append("`--dry-run`, `--discard`, ...): see [`docs/daemons.md`](daemons.md) and\n");
        md.append("[`ingest-gateway/README.md`](../ingest-gateway/README.md) for what they do to each queue.\n\n");
        List<CommandLine> commands = new ArrayList<>();
        commands.add(root);
        commands.addAll(root.getSubcommands().values());
        for (CommandLine c : commands) {
            md.append("- [`").append(name(c)).append("`](#").append(anchor(name(c))).append("): ")
                    .append(firstLine(c.getCommandSpec())).append('\n');
        }
        for (CommandLine c : commands) {
            md.append('\n').append(section(c));
        }
        return md.toString();
    }

    private static String section(CommandLine c) {
        CommandSpec spec = c.getCommandSpec();
        c.setColorScheme(Help.defaultColorScheme(Help.Ansi.OFF));
        c.setUsageHelpWidth(WIDTH);
        Help help = c.getHelp();
        StringBuilder md = new StringBuilder("## ").append(name(c)).append("\n\n");
        for (String line : text(spec)) {
            md.append(escape(line)).append('\n');
        }
        md.append("\n```text\n").append(help.synopsis(0).stripTrailing()).append("\n```\n");
        List<PositionalParamSpec> params = spec.positionalParameters();
        if (!params.isEmpty()) {
            md.append("\n| parameter | description |\n|---|---|\n");
            for (PositionalParamSpec p : params) {
                md.append("| `").append(p.paramLabel()).append("` | ").append(escape(description(p.description(), p)))
                        .append(" |\n");
            }
        }
        md.append("\n| option | default | description |\n|---|---|---|\n");
        for (OptionSpec o : spec.options()) {
            md.append("| `").append(String.join("`, `", o.names())).append(o.arity().max() == 0 ? "" : "=" + o.paramLabel())
                    .append("` | ")
                    .append(defaultOf(o)).append(" | ")
                    .append(escape(description(o.description(), o))).append(" |\n");
        }
        Map<String, String> exits = spec.usageMessage().exitCodeList();
        md.append("\n| exit code | meaning |\n|---|---|\n");
        exits.forEach((code, meaning) -> md.append("| ").append(code.strip()).append(" | ").append(escape(meaning.strip()))
                .append(" |\n"));
        return md.toString();
    }

    private static String description(String[] lines, CommandLine.Model.ArgSpec arg) {
        String text = String.join(" ", lines);
        if (arg.completionCandidates() != null) {
            List<String> candidates = new ArrayList<>();
            arg.completionCandidates().forEach(candidates::add);
            text = text.replace("${COMPLETION-CANDIDATES}", String.join(", ", candidates));
        }
        return text.replace("${DEFAULT-VALUE}", String.valueOf(arg.defaultValue()));
    }

    private static String name(CommandLine c) {
        return c.getParent() == null ? "stardust" : c.getCommandName();
    }

    private static String firstLine(CommandSpec spec) {
        List<String> lines = text(spec);
        return lines.isEmpty() ? "" : escape(lines.get(0));
    }

    /** The command's header and description lines, formatted as picocli does ({@code %n}), without blank lines. */
    private static List<String> text(CommandSpec spec) {
        List<String> lines = new ArrayList<>();
        for (String[] part : List.of(spec.usageMessage().header(), spec.usageMessage().description())) {
            for (String line : part) {
                String.format(line).lines().map(String::strip).filter(l -> !l.isEmpty()).forEach(lines::add);
            }
        }
        return lines;
    }

    /** The declared default, else the field's initial value when it is one a user would type. */
    private static String defaultOf(OptionSpec o) {
        Object value = o.defaultValue() != null ? o.defaultValue() : o.arity().max() == 0 ? null : o.initialValue();
        if (value == null || value instanceof java.util.Collection<?> c && c.isEmpty()) {
            return "";
        }
        return "`" + value + "`";
    }

    /** GitHub's heading anchors: lower case, punctuation other than - and _ dropped. */
    private static String anchor(String heading) {
        return heading.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_ -]", "").replace(' ', '-');
    }

    private static String escape(String text) {
        return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;");
    }
}
