package io.stardust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.StarDustConfig;
import io.stardust.chronicler.ChroniclerConfig;
import io.stardust.config.ConfigDef;
import io.stardust.config.ConfigOption;
import io.stardust.daemon.DaemonConfig;
import io.stardust.gateway.GatewayConfig;
import io.stardust.http.HttpConfig;
import io.stardust.liberator.LiberatorConfig;
import io.stardust.reconciler.ReconcilerConfig;
import io.stardust.streams.StreamsAppConfig;
import io.stardust.registry.mirror.RegistryMirrorConfig;
import io.stardust.watcher.WatcherConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

/**
 * {@code compose/docker-compose.yml} against the code: every {@code STARDUST_*} variable it sets is declared by some
 * deployable's configuration (a typo would be silently ignored by the process), every deployable is in it, and every
 * StarDust service runs a real {@code bin/stardust} command. And the file is valid for Compose itself.
 */
class ComposeFileTest {
    private static final Path COMPOSE = CliRunner.repoRoot().resolve("compose/docker-compose.yml");
    /** Read by {@code bin/stardust} itself, not by a process's configuration. */
    private static final Set<String> LAUNCHER_VARIABLES = Set.of("STARDUST_JAVA_OPTS");
    /** The services a deployment needs: every deployable, the Connect worker with the sink, the one-shot bootstrap. */
    private static final Set<String> DEPLOYABLES = Set.of("bootstrap", "ingest-gateway", "streams-app", "registry-mirror",
            "watcher", "reconciler", "liberator", "chronicler", "http-api", "connect");

    @TempDir
    Path dir;

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services() throws IOException {
        try (InputStream in = Files.newInputStream(COMPOSE)) {
            Map<String, Object> doc = new Yaml().load(in); // resolves the anchors and merge keys
            return (Map<String, Map<String, Object>>) doc.get("services");
        }
    }

    private static Set<String> declaredEnvironmentNames() {
        List<ConfigDef> defs = List.of(StarDustConfig.definition(), DaemonConfig.definition(), WatcherConfig.definition(),
                ReconcilerConfig.definition(), LiberatorConfig.definition(), GatewayConfig.definition(),
                RegistryMirrorConfig.definition(), HttpConfig.definition(), ChroniclerConfig.definition(),
                StreamsAppConfig.definition());
        Set<String> names = new TreeSet<>();
        for (ConfigDef d : defs) {
            for (ConfigOption<?> o : d.options()) {
                names.add(o.envName());
            }
        }
        return names;
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyStardustVariableInTheComposeFileIsDeclaredByADeployable() throws IOException {
        Set<String> declared = declaredEnvironmentNames();
        List<String> unknown = new ArrayList<>();
        int seen = 0;
        for (Map.Entry<String, Map<String, Object>> s : services().entrySet()) {
            Object env = s.getValue().get("environment");
            if (!(env instanceof Map)) {
                continue;
            }
            for (String name : ((Map<String, Object>) env).keySet()) {
                if (name.startsWith("STARDUST_")) {
                    seen++;
                    if (!declared.contains(name) && !LAUNCHER_VARIABLES.contains(name)) {
                        unknown.add(s.getKey() + ": " + name);
                    }
                }
            }
        }
        assertThat(seen).as("STARDUST_* settings found").isGreaterThan(20);
        assertThat(unknown).as("no deployable declares these (see each module's README for the options)").isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyDeployableIsAServiceRunningARealCommand() throws IOException {
        Map<String, Map<String, Object>> services = services();
        assertThat(services.keySet()).containsAll(DEPLOYABLES);
        Set<String> commands = new CommandLine(new Main()).getSubcommands().keySet();
        for (String name : DEPLOYABLES) {
            if (name.equals("connect")) {
                continue;
            }
            List<String> command = (List<String>) services.get(name).get("command");
            assertThat(commands).as(name + " runs bin/stardust " + command).contains(command.get(0));
        }
    }

    @Test
    void composeItselfAcceptsTheFile() throws Exception {
        Path env = dir.resolve(".env");
        Files.copy(CliRunner.repoRoot().resolve("compose/.env.example"), env);
        Process p = new ProcessBuilder("docker-compose", "--env-file", env.toString(), "-f", COMPOSE.toString(), "config", "-q")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("docker-compose config -q (bin/setup installs docker-compose):%n%s", out).isZero();
    }
}
